// Payloads and path parameters of the write side of the transfer API (create, update, submit, cancel). Field names
// are the reference system's (TransferEntity, TransferLineItem). Every object is strict: an unknown field is a 400
// naming it. The OpenAPI description is generated from WRITE_ROUTE_SCHEMAS at the end of this file.
import { TRANSFERABLE_PRODUCT_TYPES } from '#domain/model.ts';
import * as z from '#shared/zod.ts';
import { guidSchema } from './common-schemas.ts';
import { SUBMITTED_TRANSFER_SCHEMA } from './transfer-read-schemas.ts';

/** The most line items one transfer may carry (the storage layout is sized for it). */
export const MAX_LINE_ITEMS_PER_TRANSFER = 1000;

const guid = guidSchema;
const name = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const email = () => z.email({ error: 'must be an email address' }).check(z.maxLength(254));
/**
 * A reference client may send null for an optional field it does not set; null reads as absent. (No transforms in
 * these schemas, so that they convert to JSON Schema as they are; the service layer maps null to absent.)
 */
const optional = <S extends z.ZodMiniType>(schema: S) => z.nullish(schema);
/** Read-only fields a client may echo back from a GET; their values are ignored. */
const echoedText = () => z.nullish(z.string().check(z.maxLength(1024)));

// ---------------------------------------------------------------------------------------------------------------------
// Path parameters.

export const customerPathSchema = /* @__PURE__ */ (() => z.strictObject({ customerId: guid() }))();

export const transferPathSchema = /* @__PURE__ */ (() =>
  z.strictObject({ customerId: guid(), transferId: guid() }))();

// ---------------------------------------------------------------------------------------------------------------------
// Create: POST /v1/customers/{customerId}/transfers (the reference's TransferEntity request fields).

export const createTransferBodySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    sourcePartnerTenantId: guid(),
    sourcePartnerName: name(256),
    customerEmailId: email(),
    customerName: optional(name(256)),
    /** Defaults to the caller's tenant; any other tenant is refused (403 NotTargetPartner). */
    targetPartnerTenantId: optional(guid()),
    targetPartnerEmailId: optional(email()),
    /** null or absent: every transferable product type. */
    targetProductTypes: optional(
      z.array(z.enum(TRANSFERABLE_PRODUCT_TYPES)).check(z.maxLength(TRANSFERABLE_PRODUCT_TYPES.length * 2)),
    ),
    /** Partner ID (MPN) of the partner of record, when transferring to an indirect provider. */
    partnerOnRecord: optional(name(64)),
    /** 3 = new commerce, the only supported type (absent means 3; other numbers: 422 UnsupportedTransferType). */
    transferType: optional(z.int()),
  }))();

export type CreateTransferBody = z.output<typeof createTransferBodySchema>;

// ---------------------------------------------------------------------------------------------------------------------
// Update: PATCH /v1/customers/{customerId}/transfers/{transferId}.

/** One line item as the source partner sends it: which subscription, how much of it, and its partner of record. */
export const lineItemRequestSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    subscriptionId: guid(),
    /** Defaults to the subscription's whole quantity. */
    quantity: optional(z.int().check(z.gte(1), z.lte(1_000_000))),
    /** Defaults to the transfer's partnerOnRecord. */
    partnerIdOnRecord: optional(name(64)),
    // Fields the server sets (a client may send back a line item as it read it); ignored.
    id: z.nullish(z.union([z.string().check(z.maxLength(64)), z.int()])),
    billingCycle: echoedText(),
    friendlyName: echoedText(),
    offerId: echoedText(),
    skuId: echoedText(),
    catalogItemId: echoedText(),
    termDuration: echoedText(),
    productType: echoedText(),
    status: echoedText(),
    attempts: z.nullish(z.int()),
    completedTime: echoedText(),
    transferError: z.nullish(
      z.strictObject({
        code: z.string().check(z.maxLength(256)),
        description: z.string().check(z.maxLength(4096)),
      }),
    ),
    /** Add-ons move with their base subscription; naming them separately is not supported. */
    addOnItems: z.nullish(
      z.array(z.unknown()).check(
        z.maxLength(0, {
          error: 'add-on items are not supported: add-ons move with their base subscription',
        }),
      ),
    ),
  }))();

export type LineItemRequestBody = z.output<typeof lineItemRequestSchema>;

/**
 * The status values a PATCH may carry:
 * - `Cancel`: the reference's cancel form (target partner; same code path as POST …/cancel).
 * - `Accepted`: set the line items in the body (if any) and submit at once (source partner; same code path as
 *   PATCH with line items followed by POST …/submit).
 * - `Active`: the value a client echoes from GET; changes nothing by itself.
 */
export const TRANSFER_PATCH_STATUSES = ['Active', 'Accepted', 'Cancel'] as const;
export type TransferPatchStatus = (typeof TRANSFER_PATCH_STATUSES)[number];

/**
 * The reference PATCH carries the transfer back as the client read it, with `lineItems` (accept) or
 * `"status": "Cancel"` (cancel). The identity fields, when present, must name this transfer and its parties
 * (400 otherwise); the other server-set fields are accepted and ignored.
 */
export const updateTransferBodySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    status: optional(z.enum(TRANSFER_PATCH_STATUSES)),
    lineItems: optional(z.array(lineItemRequestSchema).check(z.maxLength(MAX_LINE_ITEMS_PER_TRANSFER))),
    // Identity fields: must match the transfer when present.
    id: optional(guid()),
    customerTenantId: optional(guid()),
    sourcePartnerTenantId: optional(guid()),
    targetPartnerTenantId: optional(guid()),
    // Server-set or immutable fields a client may echo; ignored.
    customerName: echoedText(),
    customerEmailId: echoedText(),
    sourcePartnerName: echoedText(),
    targetPartnerName: echoedText(),
    targetPartnerEmailId: echoedText(),
    targetProductTypes: z.nullish(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(16))),
    partnerOnRecord: echoedText(),
    partnerTenantId: echoedText(),
    transferType: z.nullish(z.int()),
    createdTime: echoedText(),
    lastModifiedTime: echoedText(),
    lastModifiedUser: echoedText(),
    expirationTime: echoedText(),
    acceptedTime: echoedText(),
    completedTime: echoedText(),
    lineItemCount: z.nullish(z.int()),
    notificationErrors: z.nullish(z.array(z.unknown()).check(z.maxLength(100))),
    progress: z.nullish(z.record(z.string(), z.unknown())),
    links: z.nullish(z.record(z.string(), z.unknown())),
  }))();

export type UpdateTransferBody = z.output<typeof updateTransferBodySchema>;

// ---------------------------------------------------------------------------------------------------------------------
// For the OpenAPI description: every write route by route id (functions/api/routes.ts).

export interface WriteRouteSchemas {
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /**
   * The success response (`body` absent: the transfer, TRANSFER_SCHEMA; `headers`: name to description); errors use
   * the common `{code, description, details}` body.
   */
  response: { status: number; description: string; body?: z.ZodMiniType; headers?: Record<string, string> };
  /** The error codes this route may answer with besides 400 InvalidRequest and 401. */
  errorCodes: readonly string[];
  /** A retried request with the same MS-RequestId header replays the first response. */
  idempotentWithRequestId: true;
}

const IDEMPOTENCY_ERRORS = ['RequestIdReused', 'RequestInProgress'] as const;
const STATUS_ERRORS = ['TransferNotActive', 'TransferTerminal', 'TransferExpired'] as const;
/** Line items refused (none to submit, or not transferable), and a lost race of a change conditional on them. */
const LINE_ITEM_ERRORS = ['NoLineItems', 'LineItemsRefused', 'ConcurrentModification'] as const;

const submitRoute: WriteRouteSchemas = /* @__PURE__ */ (() => ({
  params: transferPathSchema,
  response: {
    status: 202,
    description:
      'Accepted: the workflow moves the line items from now on. The body is the transfer as the acceptance ' +
      'stored it, without per-item data (lineItemCount and progress instead of lineItems), so the answer costs ' +
      'the same for 1 line item as for 1,000; GET the transfer (Location) for its line items and progress. Only ' +
      "the source partner's admin agent, while the transfer is Active and before expirationTime. The reference's " +
      'PATCH with "status": "Accepted" accepts too and answers 200 with the whole transfer.',
    body: SUBMITTED_TRANSFER_SCHEMA,
    headers: { Location: 'The accepted transfer (GET it for its line items and progress).' },
  },
  errorCodes: [
    'TransferNotFound',
    'NotSourcePartner',
    'AdminAgentRequired',
    'ResellerMustActThroughProvider',
    ...STATUS_ERRORS,
    ...LINE_ITEM_ERRORS,
    ...IDEMPOTENCY_ERRORS,
  ],
  idempotentWithRequestId: true,
}))();

const cancelRoute: WriteRouteSchemas = /* @__PURE__ */ (() => ({
  params: transferPathSchema,
  response: {
    status: 200,
    description:
      "The transfer, now Canceled. Only the target partner's admin agent, while the transfer is Active.",
  },
  errorCodes: [
    'TransferNotFound',
    'NotTargetPartner',
    'AdminAgentRequired',
    'ResellerMustActThroughProvider',
    ...STATUS_ERRORS,
    ...IDEMPOTENCY_ERRORS,
  ],
  idempotentWithRequestId: true,
}))();

export const WRITE_ROUTE_SCHEMAS = /* @__PURE__ */ (() =>
  ({
    createTransfer: {
      params: customerPathSchema,
      body: createTransferBodySchema,
      response: {
        status: 201,
        description:
          'The new transfer, status Active, expirationTime = createdTime + the acceptance window; Location names it. ' +
          'With MS-RequestId the transfer id is derived from the request id, so a retry never creates a second one.',
        headers: { Location: 'The new transfer.' },
      },
      errorCodes: [
        'CallerNotAPartner',
        'ResellerMustActThroughProvider',
        'AdminAgentRequired',
        'NotTargetPartner',
        'SourcePartnerTenantIdRequired',
        'SourceEqualsTarget',
        'SourcePartnerNotFound',
        'UnsupportedTransferType',
        'UnsupportedTransferPath',
        'PartnerAgreementNotSigned',
        'NoCustomerRelationship',
        'CustomerAgreementNotSigned',
        'SourcePartnerDoesNotBillCustomer',
        'PartnerOfRecordInvalid',
        ...IDEMPOTENCY_ERRORS,
      ],
      idempotentWithRequestId: true,
    },
    updateTransfer: {
      params: transferPathSchema,
      body: updateTransferBodySchema,
      response: {
        status: 200,
        description:
          'The transfer after the change: with lineItems (source) the new line items, each claimed for this ' +
          'transfer; with "status": "Accepted" (source) also submitted; with "status": "Cancel" (target) Canceled.',
      },
      errorCodes: [
        'TransferNotFound',
        'NotSourcePartner',
        'NotTargetPartner',
        'AdminAgentRequired',
        'ResellerMustActThroughProvider',
        'ReadOnlyFieldMismatch',
        'NothingToUpdate',
        ...STATUS_ERRORS,
        ...LINE_ITEM_ERRORS,
        ...IDEMPOTENCY_ERRORS,
      ],
      idempotentWithRequestId: true,
    },
    submitTransfer: submitRoute,
    acceptTransfer: submitRoute,
    cancelTransfer: cancelRoute,
    cancelTransferByDelete: cancelRoute,
  }) as const satisfies Record<string, WriteRouteSchemas>)();

export type WriteRouteId = keyof typeof WRITE_ROUTE_SCHEMAS;
