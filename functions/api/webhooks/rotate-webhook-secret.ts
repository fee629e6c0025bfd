// POST /v1/webhooks/{webhookId}/rotate-secret (admin agent): a new secret; the old one keeps signing for 24 h.
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { WEBHOOK_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';
import { endpointWithSecretRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler({ params: WEBHOOK_PARAMS_SCHEMA }, async ({ caller, params }) => {
  const { endpoint, secret } = await endpointServiceFromEnvironment().rotateSecret(caller, params.webhookId);
  return { statusCode: 200, body: endpointWithSecretRepresentation(endpoint, secret) };
});
