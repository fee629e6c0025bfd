// How a subscription and its transfer eligibility look on the wire. Internal fields (version, the transfer that once
// moved it) never leave the service.
import type { SubscriptionEligibility } from '#domain/eligibility.ts';
import type { Subscription } from '#domain/model.ts';
import type * as z from '#shared/zod.ts';
import type {
  SUBSCRIPTION_ELIGIBILITY_SCHEMA,
  SUBSCRIPTION_SCHEMA,
} from './schemas/subscription-read-schemas.ts';

const subscriptionPath = (subscription: Pick<Subscription, 'customerId' | 'subscriptionId'>) =>
  `/v1/customers/${subscription.customerId}/subscriptions/${subscription.subscriptionId}`;

export function subscriptionRepresentation(subscription: Subscription): z.output<typeof SUBSCRIPTION_SCHEMA> {
  return {
    id: subscription.subscriptionId,
    customerId: subscription.customerId,
    productType: subscription.productType,
    friendlyName: subscription.friendlyName,
    offerId: subscription.offerId,
    skuId: subscription.skuId,
    catalogItemId: subscription.catalogItemId,
    quantity: subscription.quantity,
    billingCycle: subscription.billingCycle,
    termDuration: subscription.termDuration,
    partnerIdOnRecord: subscription.partnerIdOnRecord,
    billingPartnerTenantId: subscription.billingPartnerTenantId,
    openTransferId: subscription.openTransferId,
    links: {
      transferEligibility: { uri: `${subscriptionPath(subscription)}/transfer-eligibility`, method: 'GET' },
    },
  };
}

/** The verdict of the domain's eligibility rules next to the facts a partner recognises the subscription by. */
export function subscriptionEligibilityRepresentation(
  subscription: Subscription,
  verdict: SubscriptionEligibility,
): z.output<typeof SUBSCRIPTION_ELIGIBILITY_SCHEMA> {
  return {
    subscriptionId: subscription.subscriptionId,
    customerId: subscription.customerId,
    productType: subscription.productType,
    friendlyName: subscription.friendlyName,
    quantity: subscription.quantity,
    eligible: verdict.eligible,
    errors: verdict.eligible ? [] : [{ code: verdict.code, description: verdict.description }],
  };
}
