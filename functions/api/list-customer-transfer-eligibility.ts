// GET /v1/customers/{customerId}/transfer-eligibility: every subscription of the customer that the caller bills, each
// with whether it could be transferred away and why not (product type, an open transfer, ...).

import { subscriptionTransferEligibility } from '#domain/eligibility.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { billedSubscriptionCollection } from './billed-subscriptions.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';
import { subscriptionEligibilityRepresentation } from './subscription-representation.ts';

const storage = storageFromEnvironment();
const schemas = READ_ROUTE_SCHEMAS.listCustomerTransferEligibility;

export const handler = defineApiHandler({ params: schemas.params, query: schemas.query }, (request) => {
  const { caller, params, query } = request;
  return billedSubscriptionCollection(storage.subscriptions, request, {
    path: `/v1/customers/${params.customerId}/transfer-eligibility`,
    filters: { targetProductTypes: query.targetProductTypes?.join(',') },
    represent: (subscription) =>
      subscriptionEligibilityRepresentation(
        subscription,
        subscriptionTransferEligibility({
          callerTenantId: caller.tenantId,
          customerId: params.customerId,
          subscriptionId: subscription.subscriptionId,
          subscription,
          targetProductTypes: query.targetProductTypes,
        }),
      ),
  });
});
