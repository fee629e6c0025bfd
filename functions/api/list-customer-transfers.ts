// GET /v1/customers/{customerId}/transfers: the customer's transfers that the caller's tenant is a party to (source,
// target, or a reseller named as partner of record), newest first. Others get an empty page: nothing leaks.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, pageLimitOrDefault, transferStatusFilter } from './collections.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/transfer-read-schemas.ts';
import { transferSummaryRepresentation } from './transfer-representation.ts';

const storage = createDynamoDbStorage();
const schemas = READ_ROUTE_SCHEMAS.listCustomerTransfers;

export const handler = defineApiHandler(
  { params: schemas.params, query: schemas.query },
  async ({ caller, params, query, event }) => {
    const status = transferStatusFilter(event);
    const limit = pageLimitOrDefault(query.limit);
    const callerPartner = await storage.directory.getPartner(caller.tenantId);
    const partnerId = callerPartner?.kind === 'IndirectReseller' ? callerPartner.partnerId : undefined;
    const page = await storage.transfers.listByCustomer(params.customerId, {
      visibleTo: { tenantId: caller.tenantId, ...(partnerId !== undefined ? { partnerId } : {}) },
      limit,
      ...(status ? { status } : {}),
      ...(query.continuationToken !== undefined ? { continuationToken: query.continuationToken } : {}),
    });
    return {
      statusCode: 200,
      body: collectionBody(
        { ...page, items: page.items.map(transferSummaryRepresentation) },
        {
          path: `/v1/customers/${params.customerId}/transfers`,
          query: { status: status?.join(','), limit },
          continuationToken: query.continuationToken,
        },
      ),
    };
  },
);
