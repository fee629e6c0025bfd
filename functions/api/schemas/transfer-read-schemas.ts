// The transfer as the read routes return it (one, and in collections) and the queries that list transfers.
import { LINE_ITEM_STATUSES, TRANSFER_STATUSES, TRANSFERABLE_PRODUCT_TYPES } from '#domain/model.ts';
import * as z from '#shared/zod.ts';
import type {
  submittedTransferRepresentation,
  TransferRepresentation,
  transferSummaryRepresentation,
} from '../transfer-representation.ts';
import {
  collectionSchema,
  ERROR_ENTRY_SCHEMA,
  LINK_SCHEMA,
  PAGINATION_QUERY_SHAPE,
  PRODUCT_TYPES,
  TRANSFER_STATUS_QUERY_SCHEMA,
} from './common-schemas.ts';

export const TRANSFER_LINE_ITEM_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    subscriptionId: z.string(),
    quantity: z.int(),
    billingCycle: z.string(),
    friendlyName: z.string(),
    partnerIdOnRecord: z.optional(z.string()),
    offerId: z.string(),
    skuId: z.string(),
    catalogItemId: z.string(),
    termDuration: z.string(),
    productType: z.enum(PRODUCT_TYPES),
    addOnItems: z.array(z.never()),
    status: z.enum(LINE_ITEM_STATUSES),
    attempts: z.int().check(z.gte(0), z.meta({ description: 'How many times moving this item was tried.' })),
    transferError: z
      .optional(ERROR_ENTRY_SCHEMA)
      .check(z.meta({ description: 'The last error of this item, if any.' })),
    completedTime: z.optional(z.string()),
  }))();

const TRANSFER_HEADER_SHAPE = /* @__PURE__ */ (() => ({
  id: z.string(),
  status: z.enum(TRANSFER_STATUSES),
  customerTenantId: z.string(),
  customerName: z.optional(z.string()),
  customerEmailId: z.string(),
  sourcePartnerTenantId: z.string(),
  sourcePartnerName: z.string(),
  targetPartnerTenantId: z.string(),
  targetPartnerName: z.string(),
  targetPartnerEmailId: z.optional(z.string()),
  targetProductTypes: z.nullable(z.array(z.enum(TRANSFERABLE_PRODUCT_TYPES))),
  partnerOnRecord: z.optional(z.string()),
  transferType: z.int(),
  createdTime: z.string(),
  lastModifiedTime: z.string(),
  lastModifiedUser: z.string(),
  expirationTime: z.string(),
  acceptedTime: z.optional(z.string()),
  completedTime: z.optional(z.string()),
  notificationErrors: z.array(
    z.object({ event: z.string(), recipient: z.string(), description: z.string() }),
  ),
  links: z.object({ self: LINK_SCHEMA }),
}))();

const PROGRESS_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({ moved: z.int(), failed: z.int(), total: z.int() })
    .check(z.meta({ description: 'n of m line items moved (and failed).' })))();

/** A transfer as get (and create, update, cancel) returns it. */
export const TRANSFER_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    ...TRANSFER_HEADER_SHAPE,
    lineItems: z.array(TRANSFER_LINE_ITEM_SCHEMA),
    progress: PROGRESS_SCHEMA,
  }))();

/**
 * What POST …/submit (and …/accept) answers, 202: the transfer as the acceptance stored it, without per-item data,
 * so the answer costs the same for 1 line item as for 1,000. Its fields mean what they mean elsewhere: the header's
 * (as in a listing entry), `lineItemCount` (as in a listing entry) and `progress` (as in GET: at acceptance nothing has
 * moved yet). The line items themselves: GET the transfer (the Location header names it).
 */
export const SUBMITTED_TRANSFER_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({
      ...TRANSFER_HEADER_SHAPE,
      status: z.literal('Accepted'),
      lineItemCount: z.int().check(z.gte(1)),
      progress: PROGRESS_SCHEMA,
    })
    .check(
      z.meta({
        description:
          'The accepted transfer without its line items: their count and progress (nothing moved yet). GET the ' +
          'transfer (Location) for the items and for progress as the workflow moves them.',
      }),
    ))();

/** A listing entry: the transfer without its line items, but with their count. */
export const TRANSFER_SUMMARY_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    ...TRANSFER_HEADER_SHAPE,
    lineItemCount: z.int().check(z.gte(0)),
  }))();

export const TRANSFER_COLLECTION_SCHEMA = /* @__PURE__ */ (() => collectionSchema(TRANSFER_SUMMARY_SCHEMA))();

export const TRANSFER_DIRECTIONS = ['incoming', 'outgoing'] as const;

export const LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    status: TRANSFER_STATUS_QUERY_SCHEMA,
    ...PAGINATION_QUERY_SHAPE,
  }))();

export const LIST_PARTNER_TRANSFERS_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    direction: z.enum(TRANSFER_DIRECTIONS).check(
      z.meta({
        description:
          'Required. incoming: transfers waiting for (or accepted by) your tenant as source; outgoing: transfers your tenant created as target.',
      }),
    ),
    status: TRANSFER_STATUS_QUERY_SCHEMA,
    ...PAGINATION_QUERY_SHAPE,
  }))();

// Compile-time guard: what the representations produce fits the schemas the API description publishes (links are
// left out: transfer-representation.ts types `method` as string; the tests check the whole body at run time).
type Fits<Actual, Published> = Omit<Actual, 'links'> extends Omit<Published, 'links'> ? true : never;
const representationsFitTheirSchemas: [
  Fits<TransferRepresentation, z.output<typeof TRANSFER_SCHEMA>>,
  Fits<ReturnType<typeof transferSummaryRepresentation>, z.output<typeof TRANSFER_SUMMARY_SCHEMA>>,
  Fits<ReturnType<typeof submittedTransferRepresentation>, z.output<typeof SUBMITTED_TRANSFER_SCHEMA>>,
] = [true, true, true];
void representationsFitTheirSchemas;
