// The events a partner's webhook endpoint can subscribe to, and which of them an endpoint wants. Public API: the
// names are part of the contract (README "Receiving events").

export const TRANSFER_EVENT_TYPES = [
  'transfer.created',
  'transfer.updated',
  'transfer.accepted',
  'transfer.lineItem.failed',
  'transfer.completed',
  'transfer.canceled',
  'transfer.expired',
] as const;

export type TransferEventType = (typeof TRANSFER_EVENT_TYPES)[number];

/** Sent only by POST /v1/webhooks/{id}/test, whatever the endpoint subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

export type WebhookEventType = TransferEventType | typeof TEST_EVENT_TYPE;

/** What an endpoint subscribes to: event types, or `*` for every transfer event. */
export const EVENT_SUBSCRIPTIONS = ['*', ...TRANSFER_EVENT_TYPES] as const;
export type EventSubscription = (typeof EVENT_SUBSCRIPTIONS)[number];

export function isSubscribedTo(subscriptions: readonly string[], type: WebhookEventType): boolean {
  if (type === TEST_EVENT_TYPE) return true;
  return subscriptions.includes('*') || subscriptions.includes(type);
}

export const WEBHOOK_EVENT_TYPES = [...TRANSFER_EVENT_TYPES, TEST_EVENT_TYPE] as const;
