// GET /v1/webhooks/{webhookId}: one of the caller partner's endpoints; another partner's id is a 404.
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { WEBHOOK_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';
import { endpointRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler({ params: WEBHOOK_PARAMS_SCHEMA }, async ({ caller, params }) => {
  const endpoint = await endpointServiceFromEnvironment().get(caller, params.webhookId);
  return { statusCode: 200, body: endpointRepresentation(endpoint) };
});
