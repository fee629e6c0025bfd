// The OpenAPI `webhooks` section: every event the service POSTs to partners' endpoints, with the Standard Webhooks
// headers and the body schema the deliverer renders (schemas/webhook-schemas.ts).
import { TEST_EVENT_TYPE, TRANSFER_EVENT_TYPES } from '#domain/webhooks/event-types.ts';
import * as z from '#shared/zod.ts';
import { TEST_EVENT_BODY_SCHEMA, TRANSFER_EVENT_BODY_SCHEMA } from './schemas/webhook-schemas.ts';

type JsonSchema = Record<string, unknown>;

const SUMMARIES: Record<string, string> = {
  'transfer.created': 'The target partner created a transfer (sent to both parties).',
  'transfer.updated': 'The source partner set or changed the line items.',
  'transfer.accepted': 'The source partner accepted (submitted) the transfer; the line items start moving.',
  'transfer.lineItem.failed': 'A line item failed for good; its transferError says why.',
  'transfer.completed': 'Every line item settled: status Complete or CompletedWithErrors.',
  'transfer.canceled': 'The target partner canceled the pending transfer.',
  'transfer.expired': 'Nobody accepted the transfer within its acceptance window.',
  [TEST_EVENT_TYPE]: 'Sent by POST /v1/webhooks/{webhookId}/test only.',
};

const HEADERS = [
  ['webhook-id', 'Unique per event, the same on every retry: deduplicate by it.'],
  ['webhook-timestamp', 'Unix seconds of this attempt; refuse values far from your clock.'],
  [
    'webhook-signature',
    'Space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per valid secret.',
  ],
] as const;

const bodySchema = (schema: z.ZodMiniType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

function eventOperation(type: string, schema: JsonSchema): JsonSchema {
  return {
    post: {
      operationId: `event_${type.replaceAll('.', '_')}`,
      summary: SUMMARIES[type],
      tags: ['Webhooks'],
      parameters: HEADERS.map(([name, description]) => ({
        name,
        in: 'header',
        required: true,
        description,
        schema: { type: 'string' },
      })),
      requestBody: { required: true, content: { 'application/json': { schema } } },
      responses: {
        '2XX': {
          description: 'Received. Anything else (or no answer within 10 s) is retried for about 27 hours.',
        },
      },
    },
  };
}

export function webhookEventsDescription(): Record<string, JsonSchema> {
  const transferBody = bodySchema(TRANSFER_EVENT_BODY_SCHEMA);
  return {
    ...Object.fromEntries(
      TRANSFER_EVENT_TYPES.map((type) => [
        type,
        eventOperation(type, {
          ...transferBody,
          properties: { ...(transferBody.properties as JsonSchema), type: { const: type } },
        }),
      ]),
    ),
    [TEST_EVENT_TYPE]: eventOperation(TEST_EVENT_TYPE, bodySchema(TEST_EVENT_BODY_SCHEMA)),
  };
}
