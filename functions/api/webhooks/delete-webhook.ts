// DELETE /v1/webhooks/{webhookId} (admin agent): the endpoint receives nothing more.
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { WEBHOOK_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';

export const handler = defineApiHandler({ params: WEBHOOK_PARAMS_SCHEMA }, async ({ caller, params }) => {
  await endpointServiceFromEnvironment().delete(caller, params.webhookId);
  return { statusCode: 204 };
});
