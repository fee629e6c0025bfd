// Request and response schemas of the read routes, keyed by route id (READ_ROUTE_SCHEMAS). Handlers validate their
// path and query with these objects and /v1/openapi.json describes them, so the two cannot drift apart.
import * as z from 'zod';
import { AUDIT_AUDIENCE } from '#domain/audit.ts';
import {
  type AuditOperation,
  LINE_ITEM_STATUSES,
  NON_TRANSFERABLE_PRODUCT_TYPES,
  PARTNER_KINDS,
  ROLES,
  TRANSFER_STATUSES,
  TRANSFERABLE_PRODUCT_TYPES,
} from '#domain/model.ts';
import type { TransferRepresentation, transferSummaryRepresentation } from '../transfer-representation.ts';
import {
  CUSTOMER_PARAMS_SCHEMA,
  collectionSchema,
  GUID_SCHEMA,
  LINK_SCHEMA,
  PAGINATION_QUERY_SCHEMA,
  PAGINATION_QUERY_SHAPE,
  type RouteSchemas,
  SUBSCRIPTION_PARAMS_SCHEMA,
  TRANSFER_PARAMS_SCHEMA,
  TRANSFER_STATUS_QUERY_SCHEMA,
} from './common-schemas.ts';

const PRODUCT_TYPES = [...TRANSFERABLE_PRODUCT_TYPES, ...NON_TRANSFERABLE_PRODUCT_TYPES] as const;
const AUDIT_OPERATIONS = Object.keys(AUDIT_AUDIENCE) as [AuditOperation, ...AuditOperation[]];

// ---------------------------------------------------------------------------------------------------------------------
// Transfers.

const ERROR_ENTRY_SCHEMA = z.object({ code: z.string(), description: z.string() });

export const TRANSFER_LINE_ITEM_SCHEMA = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  quantity: z.number().int(),
  billingCycle: z.string(),
  friendlyName: z.string(),
  partnerIdOnRecord: z.string().optional(),
  offerId: z.string(),
  skuId: z.string(),
  catalogItemId: z.string(),
  termDuration: z.string(),
  productType: z.enum(PRODUCT_TYPES),
  addOnItems: z.array(z.never()),
  status: z.enum(LINE_ITEM_STATUSES),
  attempts: z.number().int().min(0).meta({ description: 'How many times moving this item was tried.' }),
  transferError: ERROR_ENTRY_SCHEMA.optional().meta({ description: 'The last error of this item, if any.' }),
  completedTime: z.string().optional(),
});

const TRANSFER_HEADER_SHAPE = {
  id: z.string(),
  status: z.enum(TRANSFER_STATUSES),
  customerTenantId: z.string(),
  customerName: z.string().optional(),
  customerEmailId: z.string(),
  sourcePartnerTenantId: z.string(),
  sourcePartnerName: z.string(),
  targetPartnerTenantId: z.string(),
  targetPartnerName: z.string(),
  targetPartnerEmailId: z.string().optional(),
  targetProductTypes: z.array(z.enum(TRANSFERABLE_PRODUCT_TYPES)).nullable(),
  partnerOnRecord: z.string().optional(),
  transferType: z.number().int(),
  createdTime: z.string(),
  lastModifiedTime: z.string(),
  lastModifiedUser: z.string(),
  expirationTime: z.string(),
  acceptedTime: z.string().optional(),
  completedTime: z.string().optional(),
  notificationErrors: z.array(
    z.object({ event: z.string(), recipient: z.string(), description: z.string() }),
  ),
  links: z.object({ self: LINK_SCHEMA }),
};

/** A transfer as get (and create, update, submit, cancel) returns it. */
export const TRANSFER_SCHEMA = z.object({
  ...TRANSFER_HEADER_SHAPE,
  lineItems: z.array(TRANSFER_LINE_ITEM_SCHEMA),
  progress: z
    .object({ moved: z.number().int(), failed: z.number().int(), total: z.number().int() })
    .meta({ description: 'n of m line items moved (and failed).' }),
});

/** A listing entry: the transfer without its line items, but with their count. */
export const TRANSFER_SUMMARY_SCHEMA = z.object({
  ...TRANSFER_HEADER_SHAPE,
  lineItemCount: z.number().int().min(0),
});

export const TRANSFER_COLLECTION_SCHEMA = collectionSchema(TRANSFER_SUMMARY_SCHEMA);

export const TRANSFER_DIRECTIONS = ['incoming', 'outgoing'] as const;

export const LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA = z.strictObject({
  status: TRANSFER_STATUS_QUERY_SCHEMA,
  ...PAGINATION_QUERY_SHAPE,
});

export const LIST_PARTNER_TRANSFERS_QUERY_SCHEMA = z.strictObject({
  direction: z.enum(TRANSFER_DIRECTIONS).meta({
    description:
      'Required. incoming: transfers waiting for (or accepted by) your tenant as source; outgoing: transfers your tenant created as target.',
  }),
  status: TRANSFER_STATUS_QUERY_SCHEMA,
  ...PAGINATION_QUERY_SHAPE,
});

// ---------------------------------------------------------------------------------------------------------------------
// Subscriptions and eligibility.

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

// ---------------------------------------------------------------------------------------------------------------------
// Relationships, audit records, the caller's partner profile.

export const RELATIONSHIP_SCHEMA = z.object({
  customerId: z.string(),
  customerName: z.string().optional(),
  partnerTenantId: z.string(),
  status: z.enum(['Active', 'Pending', 'Terminated']),
  customerAgreementSigned: z.boolean(),
  links: z.object({ subscriptions: LINK_SCHEMA, transfers: LINK_SCHEMA }),
});

export const RELATIONSHIP_COLLECTION_SCHEMA = collectionSchema(RELATIONSHIP_SCHEMA);

export const AUDIT_RECORD_SCHEMA = z.object({
  id: z.string(),
  partnerTenantId: z.string(),
  operation: z.enum(AUDIT_OPERATIONS),
  transferId: z.string(),
  customerId: z.string(),
  actor: z.string(),
  at: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const AUDIT_RECORD_COLLECTION_SCHEMA = collectionSchema(AUDIT_RECORD_SCHEMA);

/**
 * Audit times are stored as UTC ISO strings and compared as strings, so a bound is normalised to the same form
 * (`2026-03-01T10:00:00.000Z`); an offset that pushes it out of years 0000-9999 would become `+010000-...`, which sorts
 * before every real time, so such a bound is refused instead.
 */
const AUDIT_TIME_QUERY_SCHEMA = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .refine((normalised) => /^\d{4}-/.test(normalised), {
    message: 'must lie within the years 0000 to 9999 once converted to UTC',
  })
  .optional();

export const LIST_AUDIT_RECORDS_QUERY_SCHEMA = z
  .strictObject({
    from: AUDIT_TIME_QUERY_SCHEMA.meta({ description: 'Inclusive lower bound (ISO 8601 date-time).' }),
    to: AUDIT_TIME_QUERY_SCHEMA.meta({ description: 'Inclusive upper bound (ISO 8601 date-time).' }),
    transferId: GUID_SCHEMA.optional().meta({ description: 'Only the entries of this transfer.' }),
    ...PAGINATION_QUERY_SHAPE,
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: 'must not be before from',
    path: ['to'],
  });

export const PARTNER_PROFILE_SCHEMA = z.object({
  tenantId: z.string(),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  partnerId: z.string(),
  providerTenantId: z.string().optional(),
  partnerAgreementSigned: z.boolean(),
  adminEmails: z.array(z.string()),
  caller: z.object({ userId: z.string(), roles: z.array(z.enum(ROLES)) }),
});

export const HEALTH_SCHEMA = z.object({ status: z.literal('ok'), service: z.string() });

/** The API description is itself an OpenAPI document (described loosely: an object). */
export const API_DESCRIPTION_SCHEMA = z.looseObject({ openapi: z.string(), info: z.object({}).loose() });

// ---------------------------------------------------------------------------------------------------------------------
// The route table's read routes.

const LISTING_ERRORS = ['InvalidContinuationToken'] as const;

export const READ_ROUTE_SCHEMAS = {
  getHealth: {
    response: { status: 200, description: 'The service is up.', body: HEALTH_SCHEMA },
    errorCodes: [],
  },
  getApiDescription: {
    response: { status: 200, description: 'This OpenAPI 3.1 document.', body: API_DESCRIPTION_SCHEMA },
    errorCodes: [],
  },
  getOwnPartnerProfile: {
    response: {
      status: 200,
      description: "The caller tenant's partner profile.",
      body: PARTNER_PROFILE_SCHEMA,
    },
    errorCodes: ['NotFound'],
  },
  getTransfer: {
    params: TRANSFER_PARAMS_SCHEMA,
    response: {
      status: 200,
      description:
        'The transfer with its line items (each with status, attempts and last error) and progress. Visible to ' +
        'its source and target partners (any role) and a reseller named as partner of record; 404 for anyone else.',
      body: TRANSFER_SCHEMA,
    },
    errorCodes: ['TransferNotFound'],
  },
  listCustomerTransfers: {
    params: CUSTOMER_PARAMS_SCHEMA,
    query: LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA,
    response: {
      status: 200,
      description: "The customer's transfers that the caller is a party to, newest first.",
      body: TRANSFER_COLLECTION_SCHEMA,
    },
    errorCodes: LISTING_ERRORS,
  },
  listPartnerTransfers: {
    query: LIST_PARTNER_TRANSFERS_QUERY_SCHEMA,
    response: {
      status: 200,
      description: "The caller's incoming or outgoing transfers across customers, newest first.",
      body: TRANSFER_COLLECTION_SCHEMA,
    },
    errorCodes: LISTING_ERRORS,
  },
  getSubscriptionTransferEligibility: {
    params: SUBSCRIPTION_PARAMS_SCHEMA,
    query: SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA,
    response: {
      status: 200,
      description:
        'Whether the subscription could be transferred away, and why not. Only for the partner that bills it; ' +
        '404 for anyone else.',
      body: SUBSCRIPTION_ELIGIBILITY_SCHEMA,
    },
    errorCodes: ['SubscriptionNotFound'],
  },
  listCustomerTransferEligibility: {
    params: CUSTOMER_PARAMS_SCHEMA,
    query: CUSTOMER_ELIGIBILITY_QUERY_SCHEMA,
    response: {
      status: 200,
      description: 'Eligibility of each subscription of the customer that the caller bills.',
      body: ELIGIBILITY_COLLECTION_SCHEMA,
    },
    errorCodes: LISTING_ERRORS,
  },
  listCustomerSubscriptions: {
    params: CUSTOMER_PARAMS_SCHEMA,
    query: PAGINATION_QUERY_SCHEMA,
    response: {
      status: 200,
      description: "The customer's subscriptions that the caller bills.",
      body: SUBSCRIPTION_COLLECTION_SCHEMA,
    },
    errorCodes: LISTING_ERRORS,
  },
  listRelationships: {
    query: PAGINATION_QUERY_SCHEMA,
    response: {
      status: 200,
      description: "The caller partner's customer relationships.",
      body: RELATIONSHIP_COLLECTION_SCHEMA,
    },
    errorCodes: LISTING_ERRORS,
  },
  listAuditRecords: {
    query: LIST_AUDIT_RECORDS_QUERY_SCHEMA,
    response: {
      status: 200,
      description: "The caller partner's audit entries, newest first.",
      body: AUDIT_RECORD_COLLECTION_SCHEMA,
    },
    errorCodes: LISTING_ERRORS,
  },
} as const satisfies Record<string, RouteSchemas>;

export type ReadRouteId = keyof typeof READ_ROUTE_SCHEMAS;

// Compile-time guard: what the representations produce fits the schemas the API description publishes (links are
// left out: transfer-representation.ts types `method` as string; the tests check the whole body at run time).
type Fits<Actual, Published> = Omit<Actual, 'links'> extends Omit<Published, 'links'> ? true : never;
const representationsFitTheirSchemas: [
  Fits<TransferRepresentation, z.output<typeof TRANSFER_SCHEMA>>,
  Fits<ReturnType<typeof transferSummaryRepresentation>, z.output<typeof TRANSFER_SUMMARY_SCHEMA>>,
] = [true, true];
void representationsFitTheirSchemas;
