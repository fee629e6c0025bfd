// Which subscriptions may become line items of a transfer, judged one by one so the API can report every refused
// item with its own reason instead of failing the whole request on the first problem.

import { type DomainErrorCode, type DomainFailureDetail, failure } from './errors.ts';
import type { LineItemRequest, Partner, Subscription, Transfer } from './model.ts';
import { checkPartnerOfRecord } from './partner-paths.ts';
import { isRequestedProductType, isTransferableProductType, nonTransferableReason } from './product-types.ts';

export type LineItemVerdict =
  | {
      subscriptionId: string;
      eligible: true;
      subscription: Subscription;
      quantity: number;
      partnerIdOnRecord?: string;
    }
  | { subscriptionId: string; eligible: false; code: DomainErrorCode; description: string };

export type SubscriptionEligibility =
  | { subscriptionId: string; eligible: true }
  | { subscriptionId: string; eligible: false; code: DomainErrorCode; description: string };

function refused(subscriptionId: string, code: DomainErrorCode, description?: string) {
  return {
    subscriptionId,
    eligible: false as const,
    code,
    description: failure(code, description).description,
  };
}

/**
 * Rules that depend only on the subscription and the transfer's parties, shared by line items and the eligibility
 * endpoint. `openTransferIdAllowed` is the transfer being edited: a subscription it already claims stays eligible.
 */
function subscriptionRefusal(
  subscription: Subscription,
  context: {
    customerId: string;
    sourcePartnerTenantId: string;
    targetProductTypes?: Transfer['targetProductTypes'] | null;
    openTransferIdAllowed?: string;
  },
): { code: DomainErrorCode; description?: string } | undefined {
  // Another customer's subscription is reported as missing: never leak what exists elsewhere.
  if (subscription.customerId !== context.customerId) return { code: 'SubscriptionNotFound' };
  if (subscription.billingPartnerTenantId !== context.sourcePartnerTenantId) {
    return { code: 'SubscriptionNotBilledBySource' };
  }
  const { productType } = subscription;
  if (!isTransferableProductType(productType)) {
    return { code: 'ProductTypeNotTransferable', description: nonTransferableReason(productType) };
  }
  if (!isRequestedProductType(productType, context.targetProductTypes)) {
    return {
      code: 'ProductTypeNotRequested',
      description: `The transfer is limited to ${context.targetProductTypes?.join(', ')}; this is ${productType}.`,
    };
  }
  if (
    subscription.openTransferId !== undefined &&
    subscription.openTransferId !== context.openTransferIdAllowed
  ) {
    return { code: 'SubscriptionInOpenTransfer' };
  }
  return undefined;
}

/** What judging line items needs to look up. */
export interface LineItemLookups {
  subscriptionById: (subscriptionId: string) => Subscription | undefined;
  /** The transfer's target partner: partners of record are judged against it. */
  targetPartner: Pick<Partner, 'tenantId' | 'kind' | 'partnerId'>;
  partnerById: (partnerId: string) => Pick<Partner, 'kind' | 'providerTenantId'> | undefined;
}

/**
 * Judges each requested line item against the transfer; the verdicts follow the request's order. A line item
 * without its own partner of record inherits the transfer's.
 */
export function evaluateLineItems(
  transfer: Pick<
    Transfer,
    'id' | 'customerTenantId' | 'sourcePartnerTenantId' | 'targetProductTypes' | 'partnerOnRecord'
  >,
  requests: readonly LineItemRequest[],
  lookups: LineItemLookups,
): LineItemVerdict[] {
  const seen = new Set<string>();
  return requests.map((request): LineItemVerdict => {
    const { subscriptionId } = request;
    if (seen.has(subscriptionId)) return refused(subscriptionId, 'DuplicateLineItem');
    seen.add(subscriptionId);

    const subscription = lookups.subscriptionById(subscriptionId);
    if (!subscription) return refused(subscriptionId, 'SubscriptionNotFound');
    const refusal = subscriptionRefusal(subscription, {
      customerId: transfer.customerTenantId,
      sourcePartnerTenantId: transfer.sourcePartnerTenantId,
      targetProductTypes: transfer.targetProductTypes,
      openTransferIdAllowed: transfer.id,
    });
    if (refusal) return refused(subscriptionId, refusal.code, refusal.description);

    const quantity = request.quantity ?? subscription.quantity;
    if (!Number.isInteger(quantity) || quantity < 1) return refused(subscriptionId, 'InvalidQuantity');
    if (quantity > subscription.quantity) {
      return refused(
        subscriptionId,
        'QuantityExceedsSubscription',
        `The quantity ${quantity} is larger than the subscription's quantity ${subscription.quantity}.`,
      );
    }
    const partnerIdOnRecord = request.partnerIdOnRecord ?? transfer.partnerOnRecord;
    const partnerOfRecord = checkPartnerOfRecord(
      partnerIdOnRecord,
      lookups.targetPartner,
      lookups.partnerById,
    );
    if (!partnerOfRecord.ok) {
      return refused(subscriptionId, partnerOfRecord.error.code, partnerOfRecord.error.description);
    }
    return {
      subscriptionId,
      eligible: true,
      subscription,
      quantity,
      ...(partnerIdOnRecord !== undefined ? { partnerIdOnRecord } : {}),
    };
  });
}

/** The refused verdicts as failure details (`target` names the subscription), for the API's error body. */
export function refusedLineItemDetails(verdicts: readonly LineItemVerdict[]): DomainFailureDetail[] {
  return verdicts.flatMap((v) =>
    v.eligible ? [] : [{ code: v.code, description: v.description, target: v.subscriptionId }],
  );
}

export interface EligibilityQuery {
  callerTenantId: string;
  customerId: string;
  subscriptionId: string;
  /** undefined when no such subscription exists. */
  subscription: Subscription | undefined;
  targetProductTypes?: Transfer['targetProductTypes'] | null;
}

/**
 * The "transfer eligibility" endpoint: could this subscription move away from the partner that bills it today?
 * Only that billing partner (the would-be source) gets an answer; anyone else sees it as not found, because a
 * partner only learns about subscriptions it bills. `targetProductTypes` narrows the check like a transfer would.
 */
export function subscriptionTransferEligibility(query: EligibilityQuery): SubscriptionEligibility {
  const { callerTenantId, customerId, subscriptionId, subscription } = query;
  if (
    !subscription ||
    subscription.subscriptionId !== subscriptionId ||
    subscription.customerId !== customerId ||
    subscription.billingPartnerTenantId !== callerTenantId
  ) {
    return refused(subscriptionId, 'SubscriptionNotFound');
  }
  const refusal = subscriptionRefusal(subscription, {
    customerId,
    sourcePartnerTenantId: callerTenantId,
    targetProductTypes: query.targetProductTypes,
  });
  if (refusal) return refused(subscriptionId, refusal.code, refusal.description);
  return { subscriptionId, eligible: true };
}
