// Payloads of /v1/webhooks (endpoints, secrets, deliveries) and of the events the service sends to them. Handlers
// validate with these objects and /v1/openapi.json is generated from them, including its `webhooks` section.
import { MAX_ENDPOINT_URL_LENGTH } from '#domain/webhooks/endpoint-url.ts';
import { EVENT_SUBSCRIPTIONS, TEST_EVENT_TYPE, TRANSFER_EVENT_TYPES } from '#domain/webhooks/event-types.ts';
import * as z from '#shared/zod.ts';
import {
  collectionSchema,
  GUID_SCHEMA,
  PAGINATION_QUERY_SCHEMA,
  type RouteSchemas,
} from './common-schemas.ts';
import { TRANSFER_SCHEMA } from './transfer-read-schemas.ts';

const URL_SCHEMA = /* @__PURE__ */ (() =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(MAX_ENDPOINT_URL_LENGTH),
    z.meta({
      description:
        'Where events are POSTed: https:// (on the local cloud also http://127.0.0.1 or http://localhost). Hosts that ' +
        'resolve to private, loopback, link-local or metadata addresses are refused.',
      example: 'https://billing.partner.example/hooks/transfers',
    }),
  ))();
const EVENTS_SCHEMA = /* @__PURE__ */ (() =>
  z
    .array(z.enum(EVENT_SUBSCRIPTIONS))
    .check(
      z.minLength(1),
      z.maxLength(EVENT_SUBSCRIPTIONS.length),
      z.meta({ description: 'Event types to receive, or ["*"] for every transfer event.' }),
    ))();
const DESCRIPTION_SCHEMA = /* @__PURE__ */ (() => z.string().check(z.trim(), z.maxLength(256)))();

export const WEBHOOK_PARAMS_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    webhookId: GUID_SCHEMA.check(z.meta({ description: 'The webhook endpoint id.' })),
  }))();
export const DELIVERY_PARAMS_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    webhookId: GUID_SCHEMA.check(z.meta({ description: 'The webhook endpoint id.' })),
    deliveryId: GUID_SCHEMA.check(z.meta({ description: 'The delivery id (from the deliveries list).' })),
  }))();

export const CREATE_WEBHOOK_BODY_SCHEMA = /* @__PURE__ */ (() =>
  z.strictObject({
    url: URL_SCHEMA,
    events: EVENTS_SCHEMA,
    description: z.optional(DESCRIPTION_SCHEMA),
  }))();

export const UPDATE_WEBHOOK_BODY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .strictObject({
      url: z.optional(URL_SCHEMA),
      events: z.optional(EVENTS_SCHEMA),
      description: z
        .optional(z.nullable(DESCRIPTION_SCHEMA))
        .check(z.meta({ description: 'null removes it.' })),
      disabled: z
        .optional(z.boolean())
        .check(z.meta({ description: 'true stops deliveries; false resumes them.' })),
    })
    .check(
      z.refine((body) => Object.values(body).some((value) => value !== undefined), {
        message: 'name at least one of url, events, description, disabled',
      }),
    ))();

export const WEBHOOK_ENDPOINT_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({
      id: z.string(),
      url: z.string(),
      events: z.array(z.enum(EVENT_SUBSCRIPTIONS)),
      description: z.optional(z.string()),
      disabled: z.boolean(),
      disabledReason: z
        .optional(z.enum(['DisabledByPartner', 'FailingForFiveDays']))
        .check(
          z.meta({ description: 'Why deliveries stopped: by hand, or every delivery failed for five days.' }),
        ),
      createdTime: z.string(),
      updatedTime: z.string(),
    })
    .check(z.meta({ title: 'WebhookEndpoint' })))();

export const WEBHOOK_ENDPOINT_WITH_SECRET_SCHEMA = /* @__PURE__ */ (() =>
  z
    .extend(WEBHOOK_ENDPOINT_SCHEMA, {
      secret: z
        .string()
        .check(
          z.meta({ description: 'The signing secret (whsec_…). Shown only in this answer: store it now.' }),
        ),
    })
    .check(z.meta({ title: 'WebhookEndpointWithSecret' })))();

export const WEBHOOK_DELIVERY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({
      id: z.string(),
      eventId: z
        .string()
        .check(z.meta({ description: 'The webhook-id header: the same on every attempt of this event.' })),
      eventType: z.string(),
      status: z.enum(['Pending', 'Succeeded', 'Failed']),
      attemptCount: z.int(),
      createdTime: z.string(),
      lastAttemptTime: z.optional(z.string()),
      lastStatusCode: z.optional(z.int()),
      lastError: z.optional(z.string()),
      lastResponseExcerpt: z
        .optional(z.string())
        .check(z.meta({ description: 'The first 256 characters of the last answer.' })),
      nextAttemptTime: z.optional(z.string()),
    })
    .check(z.meta({ title: 'WebhookDelivery' })))();

// ---------------------------------------------------------------------------------------------------------------------
// The events themselves (OpenAPI `webhooks`).

export const TRANSFER_EVENT_BODY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({
      type: z.enum(TRANSFER_EVENT_TYPES),
      timestamp: z.string().check(z.meta({ description: 'When the change happened (ISO 8601).' })),
      data: z.object({
        transfer: TRANSFER_SCHEMA.check(
          z.meta({
            description: 'The transfer as GET returns it to the receiving partner, at the time of sending.',
          }),
        ),
        sequence: z.int().check(
          z.gte(1),
          z.meta({
            description: "Position of this event among the transfer's events: order by it, not by arrival.",
          }),
        ),
      }),
    })
    .check(z.meta({ title: 'TransferEvent' })))();

export const TEST_EVENT_BODY_SCHEMA = /* @__PURE__ */ (() =>
  z
    .object({
      type: z.literal(TEST_EVENT_TYPE),
      timestamp: z.string(),
      data: z.object({ webhookId: z.string(), message: z.string() }),
    })
    .check(z.meta({ title: 'WebhookTestEvent' })))();

const ENDPOINT_ERRORS = ['WebhookEndpointNotFound'] as const;
const WRITE_ERRORS = ['AdminAgentRequired'] as const;

export const WEBHOOK_ROUTE_SCHEMAS = /* @__PURE__ */ (() =>
  ({
    createWebhook: {
      body: CREATE_WEBHOOK_BODY_SCHEMA,
      response: {
        status: 201,
        description: 'The endpoint, with its signing secret (shown only here and on rotation).',
        body: WEBHOOK_ENDPOINT_WITH_SECRET_SCHEMA,
      },
      errorCodes: [...WRITE_ERRORS, 'InvalidWebhookUrl', 'WebhookEndpointLimitReached'],
    },
    listWebhooks: {
      response: {
        status: 200,
        description: "The caller partner's webhook endpoints (at most 10: one page).",
        body: collectionSchema(WEBHOOK_ENDPOINT_SCHEMA),
      },
      errorCodes: [],
    },
    getWebhook: {
      params: WEBHOOK_PARAMS_SCHEMA,
      response: {
        status: 200,
        description: 'One endpoint (never its secret).',
        body: WEBHOOK_ENDPOINT_SCHEMA,
      },
      errorCodes: ENDPOINT_ERRORS,
    },
    updateWebhook: {
      params: WEBHOOK_PARAMS_SCHEMA,
      body: UPDATE_WEBHOOK_BODY_SCHEMA,
      response: { status: 200, description: 'The changed endpoint.', body: WEBHOOK_ENDPOINT_SCHEMA },
      errorCodes: [...WRITE_ERRORS, ...ENDPOINT_ERRORS, 'InvalidWebhookUrl'],
    },
    deleteWebhook: {
      params: WEBHOOK_PARAMS_SCHEMA,
      response: { status: 204, description: 'Deleted: it receives nothing more.' },
      errorCodes: [...WRITE_ERRORS, ...ENDPOINT_ERRORS],
    },
    rotateWebhookSecret: {
      params: WEBHOOK_PARAMS_SCHEMA,
      response: {
        status: 200,
        description:
          'The endpoint with its new secret; the previous secret keeps signing (alongside) for 24 hours.',
        body: WEBHOOK_ENDPOINT_WITH_SECRET_SCHEMA,
      },
      errorCodes: [...WRITE_ERRORS, ...ENDPOINT_ERRORS],
    },
    testWebhook: {
      params: WEBHOOK_PARAMS_SCHEMA,
      response: {
        status: 200,
        description: 'Sent a webhook.test event now; the delivery with the outcome of that one attempt.',
        body: WEBHOOK_DELIVERY_SCHEMA,
      },
      errorCodes: [...WRITE_ERRORS, ...ENDPOINT_ERRORS],
    },
    listWebhookDeliveries: {
      params: WEBHOOK_PARAMS_SCHEMA,
      query: PAGINATION_QUERY_SCHEMA,
      response: {
        status: 200,
        description: "The endpoint's deliveries, newest first.",
        body: collectionSchema(WEBHOOK_DELIVERY_SCHEMA),
      },
      errorCodes: [...ENDPOINT_ERRORS, 'InvalidContinuationToken'],
    },
    redeliverWebhookDelivery: {
      params: DELIVERY_PARAMS_SCHEMA,
      response: {
        status: 202,
        description: 'The delivery is queued for a new round of attempts (same webhook-id).',
        body: WEBHOOK_DELIVERY_SCHEMA,
      },
      errorCodes: [...WRITE_ERRORS, ...ENDPOINT_ERRORS, 'WebhookDeliveryNotFound'],
    },
  }) as const satisfies Record<string, RouteSchemas>)();
