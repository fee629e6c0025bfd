// GET /v1/audit-records: the caller partner's own audit log (any role of the tenant), newest first, optionally within
// a time range (inclusive) and for one transfer.

import { DynamoDbAuditRepository } from '#adapters/dynamodb-audit-repository.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, pageLimitOrDefault, storagePageToken } from './collections.ts';
import { LIST_AUDIT_RECORDS_QUERY_SCHEMA } from './schemas/partner-read-schemas.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const audit = new DynamoDbAuditRepository(documentClient, tableName);

export const handler = defineApiHandler(
  { query: LIST_AUDIT_RECORDS_QUERY_SCHEMA },
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
    const page = await audit.list(caller.tenantId, {
      limit,
      ...(filters.from !== undefined ? { from: filters.from } : {}),
      ...(filters.to !== undefined ? { to: filters.to } : {}),
      ...(filters.transferId !== undefined ? { transferId: filters.transferId } : {}),
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    return { statusCode: 200, body: collectionBody(page, listing) };
  },
);
