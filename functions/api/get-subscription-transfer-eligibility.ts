// GET /v1/customers/{customerId}/subscriptions/{subscriptionId}/transfer-eligibility: could the partner that bills
// this subscription transfer it away, and if not, why. Only that billing partner gets an answer; anyone else gets the
// same 404 as for a subscription that does not exist.

import { DynamoDbSubscriptionRepository } from '#adapters/dynamodb-subscription-repository.ts';
import { subscriptionTransferEligibility } from '#domain/eligibility.ts';
import { DomainError, failure } from '#domain/errors.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { SUBSCRIPTION_PARAMS_SCHEMA } from './schemas/common-schemas.ts';
import { SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA } from './schemas/subscription-read-schemas.ts';
import { subscriptionEligibilityRepresentation } from './subscription-representation.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const subscriptions = new DynamoDbSubscriptionRepository(documentClient, tableName);

export const handler = defineApiHandler(
  { params: SUBSCRIPTION_PARAMS_SCHEMA, query: SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA },
  async ({ caller, params, query }) => {
    const subscription = await subscriptions.get(params.customerId, params.subscriptionId);
    const verdict = subscriptionTransferEligibility({
      callerTenantId: caller.tenantId,
      customerId: params.customerId,
      subscriptionId: params.subscriptionId,
      subscription,
      targetProductTypes: query.targetProductTypes,
    });
    if (!subscription || (!verdict.eligible && verdict.code === 'SubscriptionNotFound')) {
      throw new DomainError(failure('SubscriptionNotFound'));
    }
    return { statusCode: 200, body: subscriptionEligibilityRepresentation(subscription, verdict) };
  },
);
