// GET /v1/customers/{customerId}/subscriptions/{subscriptionId}/transfer-eligibility: could the partner that bills
// this subscription transfer it away, and if not, why. Only that billing partner gets an answer; anyone else gets the
// same 404 as for a subscription that does not exist.

import { subscriptionTransferEligibility } from '#domain/eligibility.ts';
import { DomainError, failure } from '#domain/errors.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';
import { subscriptionEligibilityRepresentation } from './subscription-representation.ts';

const storage = storageFromEnvironment();
const schemas = READ_ROUTE_SCHEMAS.getSubscriptionTransferEligibility;

export const handler = defineApiHandler(
  { params: schemas.params, query: schemas.query },
  async ({ caller, params, query }) => {
    const subscription = await storage.subscriptions.get(params.customerId, params.subscriptionId);
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
