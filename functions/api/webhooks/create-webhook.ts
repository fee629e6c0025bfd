// POST /v1/webhooks (admin agent): registers an endpoint and answers with its signing secret, the only time it is
// shown besides rotation.
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { CREATE_WEBHOOK_BODY_SCHEMA } from '../schemas/webhook-schemas.ts';
import { endpointWithSecretRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler({ body: CREATE_WEBHOOK_BODY_SCHEMA }, async ({ caller, body }) => {
  const { endpoint, secret } = await endpointServiceFromEnvironment().create(caller, body);
  return { statusCode: 201, body: endpointWithSecretRepresentation(endpoint, secret) };
});
