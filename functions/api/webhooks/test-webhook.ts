// POST /v1/webhooks/{webhookId}/test (admin agent): sends a webhook.test event now, even to a disabled endpoint, and
// answers with that one attempt (a failed test is not retried; it can be redelivered).
import { randomUUID } from 'node:crypto';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { testDeliveryServiceFromEnvironment } from '#webhooks/delivery-wiring.ts';
import { requireAdminAgent } from '#webhooks/endpoint-service.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { WEBHOOK_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';
import { deliveryRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler({ params: WEBHOOK_PARAMS_SCHEMA }, async ({ caller, params }) => {
  requireAdminAgent(caller);
  const endpoint = await endpointServiceFromEnvironment().get(caller, params.webhookId);
  const delivery = await testDeliveryServiceFromEnvironment().sendTest(endpoint, randomUUID());
  return { statusCode: 200, body: deliveryRepresentation(delivery) };
});
