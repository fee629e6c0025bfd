// PATCH /v1/webhooks/{webhookId} (admin agent): url, events, description, or disabled (true stops deliveries).
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { UPDATE_WEBHOOK_BODY_SCHEMA, WEBHOOK_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';
import { endpointRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler(
  { params: WEBHOOK_PARAMS_SCHEMA, body: UPDATE_WEBHOOK_BODY_SCHEMA },
  async ({ caller, params, body }) => {
    const endpoint = await endpointServiceFromEnvironment().update(caller, params.webhookId, body);
    return { statusCode: 200, body: endpointRepresentation(endpoint) };
  },
);
