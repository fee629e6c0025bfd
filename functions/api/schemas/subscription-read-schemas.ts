// Subscriptions and their transfer eligibility as the read routes return them, and the eligibility queries.
import * as z from 'zod';
import { TRANSFERABLE_PRODUCT_TYPES } from '#domain/model.ts';
import {
  collectionSchema,
  ERROR_ENTRY_SCHEMA,
  LINK_SCHEMA,
  PAGINATION_QUERY_SHAPE,
  PRODUCT_TYPES,
} from './common-schemas.ts';

export const SUBSCRIPTION_SCHEMA = z.object({
  id: z.string(),
  customerId: z.string(),
  productType: z.enum(PRODUCT_TYPES),
  friendlyName: z.string(),
  offerId: z.string(),
  skuId: z.string(),
  catalogItemId: z.string(),
  quantity: z.number().int(),
  billingCycle: z.string(),
  termDuration: z.string(),
  partnerIdOnRecord: z.string().optional(),
  billingPartnerTenantId: z.string(),
  openTransferId: z
    .string()
    .optional()
    .meta({ description: 'The open transfer (your own, as source) that claims this subscription.' }),
  links: z.object({ transferEligibility: LINK_SCHEMA }),
});

export const SUBSCRIPTION_COLLECTION_SCHEMA = collectionSchema(SUBSCRIPTION_SCHEMA);

/** `targetProductTypes=OnlineServicesNCE,AzureSubscription`: judge as a transfer limited to these types would. */
const TARGET_PRODUCT_TYPES_QUERY_SCHEMA = z
  .string()
  .max(512)
  .transform((value) => value.split(',').map((part) => part.trim()))
  .pipe(z.array(z.enum(TRANSFERABLE_PRODUCT_TYPES)).min(1))
  .optional()
  .meta({
    description: `Judge as for a transfer limited to these product types (comma-separated: ${TRANSFERABLE_PRODUCT_TYPES.join(', ')}).`,
  });

export const SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA = z.strictObject({
  targetProductTypes: TARGET_PRODUCT_TYPES_QUERY_SCHEMA,
});

export const CUSTOMER_ELIGIBILITY_QUERY_SCHEMA = z.strictObject({
  targetProductTypes: TARGET_PRODUCT_TYPES_QUERY_SCHEMA,
  ...PAGINATION_QUERY_SHAPE,
});

export const SUBSCRIPTION_ELIGIBILITY_SCHEMA = z.object({
  subscriptionId: z.string(),
  customerId: z.string(),
  productType: z.enum(PRODUCT_TYPES),
  friendlyName: z.string(),
  quantity: z.number().int(),
  eligible: z.boolean(),
  errors: z
    .array(ERROR_ENTRY_SCHEMA)
    .meta({ description: 'Why not, when not eligible (empty when eligible).' }),
});

export const ELIGIBILITY_COLLECTION_SCHEMA = collectionSchema(SUBSCRIPTION_ELIGIBILITY_SCHEMA);
