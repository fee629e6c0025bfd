// GET /v1/transfers?direction=incoming|outgoing: the caller partner's inbox (transfers naming it as source) or outbox
// (transfers it created as target) across customers, newest first, optionally filtered by status.

import { TransferQueries } from '#adapters/transfer-queries.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { LIST_PARTNER_TRANSFERS_QUERY_SCHEMA } from './schemas/transfer-read-schemas.ts';
import { tableFromEnvironment } from './table-from-environment.ts';
import { transferSummaryCollection } from './transfer-listings.ts';

const { documentClient, tableName } = tableFromEnvironment();
const transfers = new TransferQueries(documentClient, tableName);

export const handler = defineApiHandler({ query: LIST_PARTNER_TRANSFERS_QUERY_SCHEMA }, (request) => {
  const { caller, query } = request;
  return transferSummaryCollection(
    request,
    { path: '/v1/transfers', filters: { direction: query.direction } },
    (page) => transfers.listForPartner(caller.tenantId, query.direction, page),
  );
});
