// GET /v1/customers/{customerId}/partners: the customer's other partners, for a partner that serves the customer too
// (the use case answers 404 to anyone else).

import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import { listCustomerPartners } from '#application/list-customer-partners.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, pageLimitOrDefault, storagePageToken } from './collections.ts';
import { CUSTOMER_PARAMS_SCHEMA, PAGINATION_QUERY_SCHEMA } from './schemas/common-schemas.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const directory = new DynamoDbDirectoryRepository(documentClient, tableName);

export const handler = defineApiHandler(
  { params: CUSTOMER_PARAMS_SCHEMA, query: PAGINATION_QUERY_SCHEMA },
  async ({ caller, params, query }) => {
    const limit = pageLimitOrDefault(query.limit);
    const listing = {
      tenantId: caller.tenantId,
      path: `/v1/customers/${params.customerId}/partners`,
      query: { limit },
      continuationToken: query.continuationToken,
    };
    const page = await listCustomerPartners(directory, {
      callerTenantId: caller.tenantId,
      customerId: params.customerId,
      limit,
      continuationToken: storagePageToken(listing),
    });
    const items = page.items.map(({ partner, relationship }) => ({
      tenantId: partner.tenantId,
      name: partner.name,
      kind: partner.kind,
      relationshipStatus: relationship.status,
    }));
    return { statusCode: 200, body: collectionBody({ ...page, items }, listing) };
  },
);
