// GET /v1/webhooks/{webhookId}/deliveries: the endpoint's deliveries, newest first, paged.

import { collectionBody, pageLimitOrDefault, storagePageToken } from '#api/collections.ts';
import { PAGINATION_QUERY_SCHEMA } from '#api/schemas/common-schemas.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { endpointServiceFromEnvironment } from '#webhooks/endpoint-wiring.ts';
import { deliveryStoreFromEnvironment } from '#webhooks/storage-wiring.ts';
import { WEBHOOK_PARAMS_SCHEMA } from '../schemas/webhook-schemas.ts';
import { deliveryRepresentation } from './webhook-representation.ts';

export const handler = defineApiHandler(
  { params: WEBHOOK_PARAMS_SCHEMA, query: PAGINATION_QUERY_SCHEMA },
  async ({ caller, params, query }) => {
    await endpointServiceFromEnvironment().get(caller, params.webhookId);
    const limit = pageLimitOrDefault(query.limit);
    const listing = {
      tenantId: caller.tenantId,
      path: `/v1/webhooks/${params.webhookId}/deliveries`,
      query: { limit },
      continuationToken: query.continuationToken,
    };
    const continuationToken = storagePageToken(listing);
    const page = await deliveryStoreFromEnvironment().listDeliveries(params.webhookId, {
      limit,
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    return {
      statusCode: 200,
      body: collectionBody({ ...page, items: page.items.map(deliveryRepresentation) }, listing),
    };
  },
);
