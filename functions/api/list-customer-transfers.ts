// GET /v1/customers/{customerId}/transfers: the customer's transfers that the caller's tenant is a party to (source,
// target, or a reseller named as partner of record), newest first. Others get an empty page: nothing leaks.

import { defineApiHandler } from '#shared/http/api-handler.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';
import { transferSummaryCollection } from './transfer-listings.ts';

const storage = storageFromEnvironment();
const schemas = READ_ROUTE_SCHEMAS.listCustomerTransfers;

export const handler = defineApiHandler({ params: schemas.params, query: schemas.query }, (request) => {
  const { caller, params } = request;
  return transferSummaryCollection(
    request,
    { path: `/v1/customers/${params.customerId}/transfers` },
    async (page) => {
      const callerPartner = await storage.directory.getPartner(caller.tenantId);
      const partnerId = callerPartner?.kind === 'IndirectReseller' ? callerPartner.partnerId : undefined;
      return storage.transfers.listByCustomer(params.customerId, {
        visibleTo: { tenantId: caller.tenantId, ...(partnerId !== undefined ? { partnerId } : {}) },
        ...page,
      });
    },
  );
});
