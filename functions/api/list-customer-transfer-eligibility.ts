// GET /v1/customers/{customerId}/transfer-eligibility: every subscription of the customer that the caller bills, each
// with whether it could be transferred away and why not (product type, an open transfer, ...).

import { DynamoDbSubscriptionRepository } from '#adapters/dynamodb-subscription-repository.ts';
import { subscriptionTransferEligibility } from '#domain/eligibility.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { billedSubscriptionCollection } from './billed-subscriptions.ts';
import { CUSTOMER_PARAMS_SCHEMA } from './schemas/common-schemas.ts';
import { CUSTOMER_ELIGIBILITY_QUERY_SCHEMA } from './schemas/subscription-read-schemas.ts';
import { subscriptionEligibilityRepresentation } from './subscription-representation.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const subscriptions = new DynamoDbSubscriptionRepository(documentClient, tableName);
const schemas = { params: CUSTOMER_PARAMS_SCHEMA, query: CUSTOMER_ELIGIBILITY_QUERY_SCHEMA };

export const handler = defineApiHandler(schemas, (request) => {
  const { caller, params, query } = request;
  return billedSubscriptionCollection(subscriptions, request, {
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
