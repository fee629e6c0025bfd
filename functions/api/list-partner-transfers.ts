// GET /v1/transfers?direction=incoming|outgoing: the caller partner's inbox (transfers naming it as source) or outbox
// (transfers it created as target) across customers, newest first, optionally filtered by status.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, pageLimitOrDefault, transferStatusFilter } from './collections.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/transfer-read-schemas.ts';
import { transferSummaryRepresentation } from './transfer-representation.ts';

const storage = createDynamoDbStorage();

export const handler = defineApiHandler(
  { query: READ_ROUTE_SCHEMAS.listPartnerTransfers.query },
  async ({ caller, query, event }) => {
    const status = transferStatusFilter(event);
    const limit = pageLimitOrDefault(query.limit);
    const page = await storage.transfers.listForPartner(caller.tenantId, query.direction, {
      limit,
      ...(status ? { status } : {}),
      ...(query.continuationToken !== undefined ? { continuationToken: query.continuationToken } : {}),
    });
    return {
      statusCode: 200,
      body: collectionBody(
        { ...page, items: page.items.map(transferSummaryRepresentation) },
        {
          path: '/v1/transfers',
          query: { direction: query.direction, status: status?.join(','), limit },
          continuationToken: query.continuationToken,
        },
      ),
    };
  },
);
