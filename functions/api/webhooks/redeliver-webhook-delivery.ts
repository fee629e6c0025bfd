// POST /v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver (admin agent): a new round of attempts with the
// same webhook-id, queued now; answers 202 with the delivery as queued.
import { DomainError, failure } from '#domain/errors.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { deliveryServiceFromEnvironment, endpointServiceFromEnvironment } from '#webhooks/dependencies.ts';
import { requireAdminAgent } from '#webhooks/endpoint-service.ts';
import { WEBHOOK_ROUTE_SCHEMAS as SCHEMAS } from '../schemas/webhook-schemas.ts';
import { deliveryRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler(
  { params: SCHEMAS.redeliverWebhookDelivery.params },
  async ({ caller, params }) => {
    requireAdminAgent(caller);
    await endpointServiceFromEnvironment().get(caller, params.webhookId);
    const delivery = await deliveryServiceFromEnvironment().redeliver(
      caller.tenantId,
      params.webhookId,
      params.deliveryId,
    );
    if (!delivery) throw new DomainError(failure('WebhookDeliveryNotFound'));
    return { statusCode: 202, body: deliveryRepresentation(delivery) };
  },
);
