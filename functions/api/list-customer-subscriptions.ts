// GET /v1/customers/{customerId}/subscriptions: the customer's subscriptions that the caller's tenant bills (for any
// other customer the page is simply empty).

import { DynamoDbSubscriptionRepository } from '#adapters/dynamodb-subscription-repository.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { billedSubscriptionCollection } from './billed-subscriptions.ts';
import { CUSTOMER_PARAMS_SCHEMA, PAGINATION_QUERY_SCHEMA } from './schemas/common-schemas.ts';
import { subscriptionRepresentation } from './subscription-representation.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const subscriptions = new DynamoDbSubscriptionRepository(documentClient, tableName);
const schemas = { params: CUSTOMER_PARAMS_SCHEMA, query: PAGINATION_QUERY_SCHEMA };

export const handler = defineApiHandler(schemas, (request) =>
  billedSubscriptionCollection(subscriptions, request, {
    path: `/v1/customers/${request.params.customerId}/subscriptions`,
    represent: subscriptionRepresentation,
  }),
);
