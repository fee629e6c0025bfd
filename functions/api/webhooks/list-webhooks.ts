// GET /v1/webhooks: the caller partner's endpoints (at most 10, so always one page), any role.
import { collectionBody } from '#api/collections.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { endpointRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler({}, async ({ caller }) => {
  const endpoints = await endpointServiceFromEnvironment().list(caller);
  return {
    statusCode: 200,
    body: collectionBody(
      { items: endpoints.map(endpointRepresentation) },
      { tenantId: caller.tenantId, path: '/v1/webhooks', query: {} },
    ),
  };
});
