// GET /v1/relationships: the caller partner's customer relationships (any status), with the customer's name and links
// to what the partner may read about that customer.

import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import type { Relationship } from '#domain/model.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import type * as z from '#shared/zod.ts';
import { collectionBody, pageLimitOrDefault, storagePageToken } from './collections.ts';
import { PAGINATION_QUERY_SCHEMA } from './schemas/common-schemas.ts';
import type { RELATIONSHIP_SCHEMA } from './schemas/partner-read-schemas.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const directory = new DynamoDbDirectoryRepository(documentClient, tableName);

function relationshipRepresentation(
  relationship: Relationship,
  customerName: string | undefined,
): z.output<typeof RELATIONSHIP_SCHEMA> {
  const customerPath = `/v1/customers/${relationship.customerId}`;
  return {
    customerId: relationship.customerId,
    customerName,
    partnerTenantId: relationship.partnerTenantId,
    status: relationship.status,
    customerAgreementSigned: relationship.customerAgreementSigned,
    links: {
      subscriptions: { uri: `${customerPath}/subscriptions`, method: 'GET' },
      transfers: { uri: `${customerPath}/transfers`, method: 'GET' },
    },
  };
}

export const handler = defineApiHandler({ query: PAGINATION_QUERY_SCHEMA }, async ({ caller, query }) => {
  const limit = pageLimitOrDefault(query.limit);
  const listing = {
    tenantId: caller.tenantId,
    path: '/v1/relationships',
    query: { limit },
    continuationToken: query.continuationToken,
  };
  const continuationToken = storagePageToken(listing);
  const page = await directory.listRelationshipsOfPartner(caller.tenantId, {
    limit,
    ...(continuationToken !== undefined ? { continuationToken } : {}),
  });
  const customerIds = [...new Set(page.items.map((relationship) => relationship.customerId))];
  const customers = await Promise.all(customerIds.map((id) => directory.getCustomer(id)));
  const nameOf = new Map(
    customers.flatMap((customer) => (customer ? [[customer.customerId, customer.name]] : [])),
  );
  return {
    statusCode: 200,
    body: collectionBody(
      {
        ...page,
        items: page.items.map((relationship) =>
          relationshipRepresentation(relationship, nameOf.get(relationship.customerId)),
        ),
      },
      listing,
    ),
  };
});
