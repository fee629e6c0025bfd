// Subscriptions and their transfer eligibility as the read routes return them, and the eligibility queries.
import { TRANSFERABLE_PRODUCT_TYPES } from '#domain/model.ts';
import * as z from '#shared/zod.ts';
import {
  collectionSchema,
  ERROR_ENTRY_SCHEMA,
  LINK_SCHEMA,
  PAGINATION_QUERY_SHAPE,
  PRODUCT_TYPES,
} from './common-schemas.ts';

export const SUBSCRIPTION_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    customerId: z.string(),
    productType: z.enum(PRODUCT_TYPES),
    friendlyName: z.string(),
    offerId: z.string(),
    skuId: z.string(),
    catalogItemId: z.string(),
    quantity: z.int(),
    billingCycle: z.string(),
    termDuration: z.string(),
    partnerIdOnRecord: z.optional(z.string()),
    billingPartnerTenantId: z.string(),
    openTransferId: z
      .optional(z.string())
      .check(
        z.meta({ description: 'The open transfer (your own, as source) that claims this subscription.' }),
      ),
    links: z.object({ transferEligibility: LINK_SCHEMA }),
  }))();

export const SUBSCRIPTION_COLLECTION_SCHEMA = /* @__PURE__ */ (() => collectionSchema(SUBSCRIPTION_SCHEMA))();

/** `targetProductTypes=OnlineServicesNCE,AzureSubscription`: judge as a transfer limited to these types would. */
const TARGET_PRODUCT_TYPES_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .optional(
      z.pipe(
        z.pipe(
          z.string().check(z.maxLength(512)),
          z.transform((value: string) => value.split(',').map((part) => part.trim())),
        ),
        z.array(z.enum(TRANSFERABLE_PRODUCT_TYPES)).check(z.minLength(1)),
      ),
    )
    .check(
      z.meta({
        description: `Judge as for a transfer limited to these product types (comma-separated: ${TRANSFERABLE_PRODUCT_TYPES.join(', ')}).`,
      }),
    ))();

export const SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    targetProductTypes: TARGET_PRODUCT_TYPES_QUERY_SCHEMA,
  }))();

export const CUSTOMER_ELIGIBILITY_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    targetProductTypes: TARGET_PRODUCT_TYPES_QUERY_SCHEMA,
    ...PAGINATION_QUERY_SHAPE,
  }))();

export const SUBSCRIPTION_ELIGIBILITY_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    subscriptionId: z.string(),
    customerId: z.string(),
    productType: z.enum(PRODUCT_TYPES),
    friendlyName: z.string(),
    quantity: z.int(),
    eligible: z.boolean(),
    errors: z
      .array(ERROR_ENTRY_SCHEMA)
      .check(z.meta({ description: 'Why not, when not eligible (empty when eligible).' })),
  }))();

export const ELIGIBILITY_COLLECTION_SCHEMA = /* @__PURE__ */ (() =>
  collectionSchema(SUBSCRIPTION_ELIGIBILITY_SCHEMA))();
