// What a partner reads about itself (its profile, relationships, audit records) and the service's own health and
// description.
import { AUDIT_AUDIENCE } from '#domain/audit.ts';
import { type AuditOperation, PARTNER_KINDS, RELATIONSHIP_STATUSES, ROLES } from '#domain/model.ts';
import * as z from '#shared/zod.ts';
import { collectionSchema, GUID_SCHEMA, LINK_SCHEMA, PAGINATION_QUERY_SHAPE } from './common-schemas.ts';

const AUDIT_OPERATIONS = Object.keys(AUDIT_AUDIENCE) as [AuditOperation, ...AuditOperation[]];

export const RELATIONSHIP_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    customerId: z.string(),
    customerName: z.optional(z.string()),
    partnerTenantId: z.string(),
    status: z.enum(RELATIONSHIP_STATUSES),
    customerAgreementSigned: z.boolean(),
    links: z.object({ subscriptions: LINK_SCHEMA, transfers: LINK_SCHEMA }),
  }))();

export const RELATIONSHIP_COLLECTION_SCHEMA = /* @__PURE__ */ (() => collectionSchema(RELATIONSHIP_SCHEMA))();

/** Another partner of a customer, as a partner that also serves it sees it: enough to name it as a transfer's source. */
export const CUSTOMER_PARTNER_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    tenantId: z
      .string()
      .check(z.meta({ description: "The partner's tenant id (a transfer's sourcePartnerTenantId)." })),
    name: z.string(),
    kind: z.enum(PARTNER_KINDS).check(z.meta({ description: "The partner's program: how it bills." })),
    relationshipStatus: z.enum(RELATIONSHIP_STATUSES),
  }))();

export const CUSTOMER_PARTNER_COLLECTION_SCHEMA = /* @__PURE__ */ (() =>
  collectionSchema(CUSTOMER_PARTNER_SCHEMA))();

export const AUDIT_RECORD_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    partnerTenantId: z.string(),
    operation: z.enum(AUDIT_OPERATIONS),
    transferId: z.string(),
    customerId: z.string(),
    actor: z.string(),
    at: z.string(),
    details: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  }))();

export const AUDIT_RECORD_COLLECTION_SCHEMA = /* @__PURE__ */ (() => collectionSchema(AUDIT_RECORD_SCHEMA))();

/**
 * Audit times are stored as UTC ISO strings and compared as strings, so a bound is normalised to the same form
 * (`2026-03-01T10:00:00.000Z`); an offset that pushes it out of years 0000-9999 would become `+010000-...`, which sorts
 * before every real time, so such a bound is refused instead.
 */
const AUDIT_TIME_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z.optional(
    z
      .pipe(
        z.iso.datetime({ offset: true }),
        z.transform((value: string) => new Date(value).toISOString()),
      )
      .check(
        z.refine((normalised) => /^\d{4}-/.test(normalised), {
          message: 'must lie within the years 0000 to 9999 once converted to UTC',
        }),
      ),
  ))();

export const LIST_AUDIT_RECORDS_QUERY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .strictObject({
      from: AUDIT_TIME_QUERY_SCHEMA.check(
        z.meta({ description: 'Inclusive lower bound (ISO 8601 date-time).' }),
      ),
      to: AUDIT_TIME_QUERY_SCHEMA.check(
        z.meta({ description: 'Inclusive upper bound (ISO 8601 date-time).' }),
      ),
      transferId: z
        .optional(GUID_SCHEMA)
        .check(z.meta({ description: 'Only the entries of this transfer.' })),
      ...PAGINATION_QUERY_SHAPE,
    })
    .check(
      z.refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
        message: 'must not be before from',
        path: ['to'],
      }),
    ))();

export const PARTNER_PROFILE_SCHEMA = /* @__PURE__ */ (() =>
  z.object({
    tenantId: z.string(),
    name: z.string(),
    kind: z.enum(PARTNER_KINDS),
    partnerId: z.string(),
    providerTenantId: z.optional(z.string()),
    partnerAgreementSigned: z.boolean(),
    adminEmails: z.array(z.string()),
    caller: z.object({ userId: z.string(), roles: z.array(z.enum(ROLES)) }),
  }))();

export const HEALTH_SCHEMA = /* @__PURE__ */ (() =>
  z.object({ status: z.literal('ok'), service: z.string() }))();

/** The API description is itself an OpenAPI document (described loosely: an object). */
export const API_DESCRIPTION_SCHEMA = /* @__PURE__ */ (() =>
  z.looseObject({ openapi: z.string(), info: z.looseObject({}) }))();
