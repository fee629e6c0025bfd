// GET /v1/customers/{customerId}/partners: the customer's other partners, for a partner that serves the customer too
// (the use case answers 404 to anyone else).

import { listCustomerPartners } from '#application/list-customer-partners.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, pageLimitOrDefault, storagePageToken } from './collections.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';

const storage = storageFromEnvironment();
const schemas = READ_ROUTE_SCHEMAS.listCustomerPartners;

export const handler = defineApiHandler(
  { params: schemas.params, query: schemas.query },
  async ({ caller, params, query }) => {
    const limit = pageLimitOrDefault(query.limit);
    const listing = {
      tenantId: caller.tenantId,
      path: `/v1/customers/${params.customerId}/partners`,
      query: { limit },
      continuationToken: query.continuationToken,
    };
    const page = await listCustomerPartners(storage.directory, {
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
