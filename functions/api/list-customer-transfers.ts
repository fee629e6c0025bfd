// GET /v1/customers/{customerId}/transfers: the customer's transfers that the caller's tenant is a party to (source,
// target, or a reseller named as partner of record), newest first. Others get an empty page: nothing leaks.

import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import { TransferQueries } from '#adapters/transfer-queries.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { CUSTOMER_PARAMS_SCHEMA } from './schemas/common-schemas.ts';
import { LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA } from './schemas/transfer-read-schemas.ts';
import { tableFromEnvironment } from './table-from-environment.ts';
import { transferSummaryCollection } from './transfer-listings.ts';

const { documentClient, tableName } = tableFromEnvironment();
const transfers = new TransferQueries(documentClient, tableName);
const directory = new DynamoDbDirectoryRepository(documentClient, tableName);
const schemas = { params: CUSTOMER_PARAMS_SCHEMA, query: LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA };

export const handler = defineApiHandler(schemas, (request) => {
  const { caller, params } = request;
  return transferSummaryCollection(
    request,
    { path: `/v1/customers/${params.customerId}/transfers` },
    async (page) => {
      const callerPartner = await directory.getPartner(caller.tenantId);
      const partnerId = callerPartner?.kind === 'IndirectReseller' ? callerPartner.partnerId : undefined;
      return transfers.listByCustomer(params.customerId, {
        visibleTo: { tenantId: caller.tenantId, ...(partnerId !== undefined ? { partnerId } : {}) },
        ...page,
      });
    },
  );
});
