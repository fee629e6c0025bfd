// GET /v1/customers/{customerId}/subscriptions: the customer's subscriptions that the caller's tenant bills. A partner
// only ever learns about subscriptions it bills; for any other customer the page is simply empty.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { collectionBody, collectMatchingPage, pageLimitOrDefault } from './collections.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/transfer-read-schemas.ts';
import { subscriptionRepresentation } from './subscription-representation.ts';

const storage = createDynamoDbStorage();
const schemas = READ_ROUTE_SCHEMAS.listCustomerSubscriptions;

export const handler = defineApiHandler(
  { params: schemas.params, query: schemas.query },
  async ({ caller, params, query }) => {
    const limit = pageLimitOrDefault(query.limit);
    const page = await collectMatchingPage(
      (request) => storage.subscriptions.listByCustomer(params.customerId, request),
      (subscription) => subscription.billingPartnerTenantId === caller.tenantId,
      { limit, continuationToken: query.continuationToken },
    );
    return {
      statusCode: 200,
      body: collectionBody(
        { ...page, items: page.items.map(subscriptionRepresentation) },
        {
          path: `/v1/customers/${params.customerId}/subscriptions`,
          query: { limit },
          continuationToken: query.continuationToken,
        },
      ),
    };
  },
);
