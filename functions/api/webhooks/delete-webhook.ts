// DELETE /v1/webhooks/{webhookId} (admin agent): the endpoint receives nothing more.
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { WEBHOOK_ROUTE_SCHEMAS as SCHEMAS } from '../schemas/webhook-schemas.ts';

export const handler = defineApiHandler(
  { params: SCHEMAS.deleteWebhook.params },
  async ({ caller, params }) => {
    await endpointServiceFromEnvironment().delete(caller, params.webhookId);
    return { statusCode: 204 };
  },
);
