// Schema pieces every route shares: identifiers, pagination, the collection envelope, the error body, and the shape of
// a route's schema entry (READ_ROUTE_SCHEMAS / WRITE_ROUTE_SCHEMAS), from which handlers validate requests and the
// API description is generated. One source of truth: handlers and /v1/openapi.json read the same objects.
import * as z from 'zod';
import { DEFAULT_PAGE_LIMIT } from '#application/ports.ts';
import {
  NON_TRANSFERABLE_PRODUCT_TYPES,
  TRANSFER_STATUSES,
  TRANSFERABLE_PRODUCT_TYPES,
  type TransferStatus,
} from '#domain/model.ts';

export const PRODUCT_TYPES = [...TRANSFERABLE_PRODUCT_TYPES, ...NON_TRANSFERABLE_PRODUCT_TYPES] as const;

/** A refusal or failure as the read routes show it: a line item's error, a subscription's ineligibility. */
export const ERROR_ENTRY_SCHEMA = z.object({ code: z.string(), description: z.string() });

/**
 * What a route's entry in READ_ROUTE_SCHEMAS / WRITE_ROUTE_SCHEMAS holds (keyed by the route id of ROUTES); the
 * write side's WriteRouteSchemas fits it.
 */
export interface RouteSchemas {
  /** Path parameters (`{customerId}` ...): a strict object. */
  params?: z.ZodType;
  /** Query parameters: a strict object whose values are strings on the wire. */
  query?: z.ZodType;
  /** JSON request body. */
  body?: z.ZodType;
  /** The success answer; `body` absent on a write route means the transfer (TRANSFER_SCHEMA). */
  response: { status: number; description: string; body?: z.ZodType };
  /** Error codes this route may answer with besides InvalidRequest (400) and Unauthorized (401). */
  errorCodes: readonly string[];
  /** A retried request with the same MS-RequestId header replays the first response. */
  idempotentWithRequestId?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------------
// Identifiers.

/**
 * Tenant, customer, transfer and subscription ids are GUIDs, as in the reference system. GUIDs compare
 * case-insensitively, and storage keys are lower case, so every GUID is lower-cased here, at the edge.
 */
export const guidSchema = () => z.uuid({ error: 'must be a GUID' }).toLowerCase();

export const GUID_SCHEMA = guidSchema().meta({ example: 'c0000000-0000-4000-8000-000000000001' });

export const CUSTOMER_PARAMS_SCHEMA = z.strictObject({
  customerId: GUID_SCHEMA.meta({ description: "The customer's tenant id." }),
});

export const TRANSFER_PARAMS_SCHEMA = z.strictObject({
  customerId: GUID_SCHEMA.meta({ description: "The customer's tenant id." }),
  transferId: GUID_SCHEMA.meta({ description: 'The transfer id.' }),
});

export const SUBSCRIPTION_PARAMS_SCHEMA = z.strictObject({
  customerId: GUID_SCHEMA.meta({ description: "The customer's tenant id." }),
  subscriptionId: GUID_SCHEMA.meta({ description: 'The subscription id.' }),
});

// ---------------------------------------------------------------------------------------------------------------------
// Pagination.

export const MIN_PAGE_LIMIT = 1;
export const MAX_API_PAGE_LIMIT = 100;

/** `limit` arrives as a string: digits only (no `1e1`, `0x10`, ` 5`), then 1..100. */
export const PAGE_LIMIT_QUERY_SCHEMA = z
  .string()
  .regex(/^[0-9]{1,6}$/, `must be a whole number from ${MIN_PAGE_LIMIT} to ${MAX_API_PAGE_LIMIT}`)
  .transform(Number)
  .pipe(z.number().int().min(MIN_PAGE_LIMIT).max(MAX_API_PAGE_LIMIT))
  .optional()
  .meta({
    description: `Page size, ${MIN_PAGE_LIMIT} to ${MAX_API_PAGE_LIMIT}; default ${DEFAULT_PAGE_LIMIT}.`,
  });

export const CONTINUATION_TOKEN_QUERY_SCHEMA = z.string().min(1).max(4096).optional().meta({
  description:
    'The opaque continuationToken of the previous page (or follow links.next); another value is refused with 400.',
});

/** Spread into a strict query object: `z.strictObject({ ...PAGINATION_QUERY_SHAPE, status: ... })`. */
export const PAGINATION_QUERY_SHAPE = {
  limit: PAGE_LIMIT_QUERY_SCHEMA,
  continuationToken: CONTINUATION_TOKEN_QUERY_SCHEMA,
};

export const PAGINATION_QUERY_SCHEMA = z.strictObject(PAGINATION_QUERY_SHAPE);

const TRANSFER_STATUS_FILTER_DESCRIPTION = `Only transfers in these statuses, comma-separated or repeated (status=Active&status=Accepted): ${TRANSFER_STATUSES.join(', ')}.`;

/** The parsed filter: one or more of TRANSFER_STATUSES, from the comma-joined values of every `status` parameter. */
export const TRANSFER_STATUS_FILTER_SCHEMA = z
  .string()
  .max(1024)
  .transform((value) => value.split(',').map((part) => part.trim()))
  .pipe(z.array(z.enum(TRANSFER_STATUSES)).min(1))
  .transform((statuses): TransferStatus[] => [...new Set(statuses)]);

/**
 * `status` as the query object declares it. The parameter may repeat and API Gateway's single-value map keeps only
 * the last one, so the handler parses every value with TRANSFER_STATUS_FILTER_SCHEMA (collections.ts); here it is a
 * bounded string, described for the API description.
 */
export const TRANSFER_STATUS_QUERY_SCHEMA = z
  .string()
  .max(1024)
  .optional()
  .meta({ description: TRANSFER_STATUS_FILTER_DESCRIPTION });

// ---------------------------------------------------------------------------------------------------------------------
// Responses.

export const LINK_SCHEMA = z.object({
  uri: z.string(),
  method: z.enum(['GET', 'POST', 'PATCH', 'DELETE']),
});

/**
 * Every listing answers with this envelope (the reference system's collection shape): `totalCount` is the number of
 * items in this page; `continuationToken` and `links.next` are present only when there is another page.
 */
export function collectionSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    totalCount: z.number().int().min(0).meta({ description: 'Number of items in this page.' }),
    items: z.array(item),
    continuationToken: z.string().optional(),
    links: z.object({ self: LINK_SCHEMA, next: LINK_SCHEMA.optional() }),
  });
}

export const ERROR_DETAIL_SCHEMA = z.object({
  field: z.string().optional().meta({
    description: 'Dotted path of the offending field, e.g. `query.limit` or `body.lineItems.0.quantity`.',
  }),
  code: z.string(),
  description: z.string(),
});

/** The one error body of every 4xx and 5xx. */
export const ERROR_BODY_SCHEMA = z
  .object({
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. TransferNotFound.' }),
    description: z.string(),
    details: z.array(ERROR_DETAIL_SCHEMA),
  })
  .meta({ title: 'Error' });
