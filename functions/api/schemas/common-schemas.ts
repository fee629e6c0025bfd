// Schema pieces every route shares: identifiers, pagination, the collection envelope, the error body, and the shape of
// a route's schema entry (READ_ROUTE_SCHEMAS / WRITE_ROUTE_SCHEMAS), from which handlers validate requests and the
// API description is generated. One source of truth: handlers and /v1/openapi.json read the same objects.
import { DEFAULT_PAGE_LIMIT } from '#application/ports.ts';
import {
  NON_TRANSFERABLE_PRODUCT_TYPES,
  TRANSFER_STATUSES,
  TRANSFERABLE_PRODUCT_TYPES,
  type TransferStatus,
} from '#domain/model.ts';
import * as z from '#shared/zod.ts';

export const PRODUCT_TYPES = [...TRANSFERABLE_PRODUCT_TYPES, ...NON_TRANSFERABLE_PRODUCT_TYPES] as const;

/** A refusal or failure as the read routes show it: a line item's error, a subscription's ineligibility. */
export const ERROR_ENTRY_SCHEMA = /* @__PURE__ */ (() =>
  z.object({ code: z.string(), description: z.string() }))();

/**
 * What a route's entry in READ_ROUTE_SCHEMAS / WRITE_ROUTE_SCHEMAS holds (keyed by the route id of ROUTES); the
 * write side's WriteRouteSchemas fits it.
 */
export interface RouteSchemas {
  /** Path parameters (`{customerId}` ...): a strict object. */
  params?: z.ZodMiniType;
  /** Query parameters: a strict object whose values are strings on the wire. */
  query?: z.ZodMiniType;
  /** JSON request body. */
  body?: z.ZodMiniType;
  /**
   * The success answer; `body` absent on a write route means the transfer (TRANSFER_SCHEMA). `headers`: the
   * response headers it sets besides MS-CorrelationId, name to description.
   */
  response: { status: number; description: string; body?: z.ZodMiniType; headers?: Record<string, string> };
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
export const guidSchema = () => z.uuid({ error: 'must be a GUID' }).check(z.toLowerCase());

export const GUID_SCHEMA = /* @__PURE__ */ (() =>
  guidSchema().check(z.meta({ example: 'c0000000-0000-4000-8000-000000000001' })))();

export const CUSTOMER_PARAMS_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    customerId: GUID_SCHEMA.check(z.meta({ description: "The customer's tenant id." })),
  }))();

export const TRANSFER_PARAMS_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    customerId: GUID_SCHEMA.check(z.meta({ description: "The customer's tenant id." })),
    transferId: GUID_SCHEMA.check(z.meta({ description: 'The transfer id.' })),
  }))();

export const SUBSCRIPTION_PARAMS_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    customerId: GUID_SCHEMA.check(z.meta({ description: "The customer's tenant id." })),
    subscriptionId: GUID_SCHEMA.check(z.meta({ description: 'The subscription id.' })),
  }))();

// ---------------------------------------------------------------------------------------------------------------------
// Pagination.

export const MIN_PAGE_LIMIT = 1;
export const MAX_API_PAGE_LIMIT = 100;

/** `limit` arrives as a string: digits only (no `1e1`, `0x10`, ` 5`), then 1..100. */
export const PAGE_LIMIT_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .optional(
      z.pipe(
        z.pipe(
          z
            .string()
            .check(
              z.regex(
                /^[0-9]{1,6}$/,
                `must be a whole number from ${MIN_PAGE_LIMIT} to ${MAX_API_PAGE_LIMIT}`,
              ),
            ),
          z.transform(Number),
        ),
        z.int().check(z.gte(MIN_PAGE_LIMIT), z.lte(MAX_API_PAGE_LIMIT)),
      ),
    )
    .check(
      z.meta({
        description: `Page size, ${MIN_PAGE_LIMIT} to ${MAX_API_PAGE_LIMIT}; default ${DEFAULT_PAGE_LIMIT}.`,
      }),
    ))();

export const CONTINUATION_TOKEN_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z.optional(z.string().check(z.minLength(1), z.maxLength(4096))).check(
    z.meta({
      description:
        'The opaque continuationToken of the previous page (or follow links.next); another value is refused with 400.',
    }),
  ))();

/** Spread into a strict query object: `z.strictObject({ ...PAGINATION_QUERY_SHAPE, status: ... })`. */
export const PAGINATION_QUERY_SHAPE = /* @__PURE__ */ (() => ({
  limit: PAGE_LIMIT_QUERY_SCHEMA,
  continuationToken: CONTINUATION_TOKEN_QUERY_SCHEMA,
}))();

export const PAGINATION_QUERY_SCHEMA = /* @__PURE__ */ (() => z.strictObject(PAGINATION_QUERY_SHAPE))();

const TRANSFER_STATUS_FILTER_DESCRIPTION = `Only transfers in these statuses, comma-separated or repeated (status=Active&status=Accepted): ${TRANSFER_STATUSES.join(', ')}.`;

/** The parsed filter: one or more of TRANSFER_STATUSES, from the comma-joined values of every `status` parameter. */
export const TRANSFER_STATUS_FILTER_SCHEMA = /* @__PURE__ */ (() =>
  z.pipe(
    z.pipe(
      z.pipe(
        z.string().check(z.maxLength(1024)),
        z.transform((value: string) => value.split(',').map((part) => part.trim())),
      ),
      z.array(z.enum(TRANSFER_STATUSES)).check(z.minLength(1)),
    ),
    z.transform((statuses: TransferStatus[]) => [...new Set(statuses)]),
  ))();

/**
 * `status` as the query object declares it. The parameter may repeat and API Gateway's single-value map keeps only
 * the last one, so the handler parses every value with TRANSFER_STATUS_FILTER_SCHEMA (collections.ts); here it is a
 * bounded string, described for the API description.
 */
export const TRANSFER_STATUS_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .optional(z.string().check(z.maxLength(1024)))
    .check(z.meta({ description: TRANSFER_STATUS_FILTER_DESCRIPTION })))();

// ---------------------------------------------------------------------------------------------------------------------
// Responses.

export const LINK_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    uri: z.string(),
    method: z.enum(['GET', 'POST', 'PATCH', 'DELETE']),
  }))();

/**
 * Every listing answers with this envelope (the reference system's collection shape): `totalCount` is the number of
 * items in this page; `continuationToken` and `links.next` are present only when there is another page.
 */
export function collectionSchema<Item extends z.ZodMiniType>(item: Item) {
  return z.object({
    totalCount: z.int().check(z.gte(0), z.meta({ description: 'Number of items in this page.' })),
    items: z.array(item),
    continuationToken: z.optional(z.string()),
    links: z.object({ self: LINK_SCHEMA, next: z.optional(LINK_SCHEMA) }),
  });
}

export const ERROR_DETAIL_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    field: z.optional(z.string()).check(
      z.meta({
        description: 'Dotted path of the offending field, e.g. `query.limit` or `body.lineItems.0.quantity`.',
      }),
    ),
    code: z.string(),
    description: z.string(),
  }))();

/** The one error body of every 4xx and 5xx. */
export const ERROR_BODY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({
      code: z.string().check(z.meta({ description: 'Stable machine-readable code, e.g. TransferNotFound.' })),
      description: z.string(),
      details: z.array(ERROR_DETAIL_SCHEMA),
    })
    .check(z.meta({ title: 'Error' })))();
