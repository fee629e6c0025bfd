// What the deliverer reads off the webhook queue, checked by hand rather than with zod. Every message on that queue is
// ours: the bus rule forwards the events our relay published (the EventBridge envelope around a WebhookEvent), and
// the deliverer itself queues one message per delivery. Nothing a partner sends reaches it. The check still refuses
// anything else (the deliverer drops and logs it) and, like the zod objects before it, keeps only the known fields;
// zod's unions cost the deliverer ~10 KiB, what kept it above 1.3x its SDK-only floor (issue #14).
import type { DeliveryMessage } from '#application/webhook-ports.ts';
import { WEBHOOK_EVENT_TYPES } from '#domain/webhooks/event-types.ts';
import type { WebhookEvent, WebhookEventSubject } from '#domain/webhooks/model.ts';

export type QueueMessage = { detail: WebhookEvent } | DeliveryMessage;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function subjectOf(value: unknown): WebhookEventSubject | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'test') return { kind: 'test' };
  if (
    value.kind === 'transfer' &&
    isString(value.customerId) &&
    isString(value.transferId) &&
    Number.isSafeInteger(value.sequence)
  ) {
    return {
      kind: 'transfer',
      customerId: value.customerId,
      transferId: value.transferId,
      sequence: value.sequence as number,
    };
  }
  return undefined;
}

function eventOf(value: unknown): WebhookEvent | undefined {
  if (!isObject(value)) return undefined;
  const { id, type, occurredTime } = value;
  const subject = subjectOf(value.subject);
  if (!isString(id) || id === '' || !isString(occurredTime) || subject === undefined) return undefined;
  if (!(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type)) return undefined;
  return { id, type: type as WebhookEvent['type'], occurredTime, subject };
}

/** The message, or undefined when it is neither an event envelope nor a delivery message. */
export function parseQueueMessage(body: unknown): QueueMessage | undefined {
  if (!isObject(body)) return undefined;
  if (isString(body['detail-type'])) {
    const detail = eventOf(body.detail);
    if (detail) return { detail };
  }
  const { kind, partnerTenantId, endpointId, deliveryId } = body;
  if (kind === 'delivery' && isString(partnerTenantId) && isString(endpointId) && isString(deliveryId)) {
    return { kind, partnerTenantId, endpointId, deliveryId };
  }
  return undefined;
}
