// POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver (admin agent): a new round of attempts with the
// same webhook-id, queued now; answers 202 with the delivery as queued.
import { DomainError, failure } from '#domain/errors.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { deliveryQueueFromEnvironment } from '#webhooks/delivery-queue-wiring.ts';
import { requireAdminAgent } from '#webhooks/endpoint-service.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { redeliver } from '#webhooks/redeliver.ts';
import { deliveryStoreFromEnvironment } from '#webhooks/storage-wiring.ts';
import { DELIVERY_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';
import { deliveryRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler({ params: DELIVERY_PARAMS_SCHEMA }, async ({ caller, params }) => {
  requireAdminAgent(caller);
  await endpointServiceFromEnvironment().get(caller, params.webhookId);
  const delivery = await redeliver(
    {
      deliveries: deliveryStoreFromEnvironment(),
      queue: deliveryQueueFromEnvironment(),
      now: () => new Date(),
    },
    { tenantId: caller.tenantId, endpointId: params.webhookId, deliveryId: params.deliveryId },
  );
  if (!delivery) throw new DomainError(failure('WebhookDeliveryNotFound'));
  return { statusCode: 202, body: deliveryRepresentation(delivery) };
});
