// Redelivery: a new round of attempts for one delivery (same webhook-id, so a receiver that got it already can
// dedupe), queued now. Only the delivery's own partner may ask.

import type { DeliveryQueue, WebhookDeliveryStore } from '#application/webhook-ports.ts';
import type { WebhookDelivery } from '#domain/webhooks/model.ts';

export interface RedeliveryDependencies {
  deliveries: WebhookDeliveryStore;
  queue: DeliveryQueue;
  now(): Date;
}

export async function redeliver(
  deps: RedeliveryDependencies,
  request: { tenantId: string; endpointId: string; deliveryId: string },
): Promise<WebhookDelivery | undefined> {
  const delivery = await deps.deliveries.getDelivery(request.endpointId, request.deliveryId);
  if (!delivery || delivery.partnerTenantId !== request.tenantId) return undefined;
  const queued: WebhookDelivery = {
    ...delivery,
    status: 'Pending',
    cycleAttemptCount: 0,
    nextAttemptTime: deps.now().toISOString(),
  };
  await deps.deliveries.saveDelivery(queued);
  await deps.queue.enqueue({
    kind: 'delivery',
    partnerTenantId: queued.partnerTenantId,
    endpointId: queued.endpointId,
    deliveryId: queued.id,
  });
  return queued;
}
