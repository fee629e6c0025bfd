// GET /v1/transfers?direction=incoming|outgoing: the caller partner's inbox (transfers naming it as source) or outbox
// (transfers it created as target) across customers, newest first, optionally filtered by status.

import { defineApiHandler } from '#shared/http/api-handler.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';
import { transferSummaryCollection } from './transfer-listings.ts';

const storage = storageFromEnvironment();

export const handler = defineApiHandler(
  { query: READ_ROUTE_SCHEMAS.listPartnerTransfers.query },
  (request) => {
    const { caller, query } = request;
    return transferSummaryCollection(
      request,
      { path: '/v1/transfers', filters: { direction: query.direction } },
      (page) => storage.transfers.listForPartner(caller.tenantId, query.direction, page),
    );
  },
);
