// GET /v1/customers/{customerId}/subscriptions: the customer's subscriptions that the caller's tenant bills (for any
// other customer the page is simply empty).

import { defineApiHandler } from '#shared/http/api-handler.ts';
import { billedSubscriptionCollection } from './billed-subscriptions.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';
import { subscriptionRepresentation } from './subscription-representation.ts';

const storage = storageFromEnvironment();
const schemas = READ_ROUTE_SCHEMAS.listCustomerSubscriptions;

export const handler = defineApiHandler({ params: schemas.params, query: schemas.query }, (request) =>
  billedSubscriptionCollection(storage.subscriptions, request, {
    path: `/v1/customers/${request.params.customerId}/subscriptions`,
    represent: subscriptionRepresentation,
  }),
);
