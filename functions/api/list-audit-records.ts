// GET /v1/audit-records: the caller partner's own audit log (any role of the tenant), newest first, optionally within
// a time range (inclusive) and for one transfer.

import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, pageLimitOrDefault, storagePageToken } from './collections.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';

const storage = storageFromEnvironment();

export const handler = defineApiHandler(
  { query: READ_ROUTE_SCHEMAS.listAuditRecords.query },
  async ({ caller, query }) => {
    const limit = pageLimitOrDefault(query.limit);
    const filters = { from: query.from, to: query.to, transferId: query.transferId };
    const listing = {
      tenantId: caller.tenantId,
      path: '/v1/audit-records',
      query: { ...filters, limit },
      continuationToken: query.continuationToken,
    };
    const continuationToken = storagePageToken(listing);
    const page = await storage.audit.list(caller.tenantId, {
      limit,
      ...(filters.from !== undefined ? { from: filters.from } : {}),
      ...(filters.to !== undefined ? { to: filters.to } : {}),
      ...(filters.transferId !== undefined ? { transferId: filters.transferId } : {}),
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    return { statusCode: 200, body: collectionBody(page, listing) };
  },
);
