// How endpoints and deliveries look on the wire: never a secret (except the one create or rotate just made), never
// the internal failing streak, and only the capped excerpt of a receiver's answer.
import type { WebhookDelivery, WebhookEndpoint } from '#domain/webhooks/model.ts';

export function endpointRepresentation(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    disabled: endpoint.disabled,
    ...(endpoint.disabledReason ? { disabledReason: endpoint.disabledReason } : {}),
    createdTime: endpoint.createdTime,
    updatedTime: endpoint.updatedTime,
  };
}

export const endpointWithSecretRepresentation = (endpoint: WebhookEndpoint, secret: string) => ({
  ...endpointRepresentation(endpoint),
  secret,
});

export function deliveryRepresentation(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    eventId: delivery.event.id,
    eventType: delivery.event.type,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    createdTime: delivery.createdTime,
    ...(delivery.lastAttemptTime ? { lastAttemptTime: delivery.lastAttemptTime } : {}),
    ...(delivery.lastStatusCode !== undefined ? { lastStatusCode: delivery.lastStatusCode } : {}),
    ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
    ...(delivery.lastResponseExcerpt ? { lastResponseExcerpt: delivery.lastResponseExcerpt } : {}),
    ...(delivery.status === 'Pending' && delivery.nextAttemptTime
      ? { nextAttemptTime: delivery.nextAttemptTime }
      : {}),
  };
}
