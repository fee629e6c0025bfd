// Builds new records from requests that already passed authorization and the rules. Ids and time come in from the
// caller, so the same input always builds the same record.

import type { LineItemVerdict } from './eligibility.ts';
import { DEFAULT_ACCEPTANCE_WINDOW_DAYS, expirationTimeFor } from './expiration.ts';
import type {
  Caller,
  CreateTransferRequest,
  Partner,
  Subscription,
  Transfer,
  TransferLineItem,
} from './model.ts';
import { NEW_COMMERCE_TRANSFER_TYPE } from './prerequisites.ts';

export interface NewTransferInput {
  id: string;
  customerId: string;
  request: CreateTransferRequest;
  caller: Caller;
  sourcePartner: Pick<Partner, 'tenantId' | 'name'>;
  targetPartner: Pick<Partner, 'tenantId' | 'name'>;
  now: Date;
  acceptanceWindowDays?: number;
}

export function newTransfer(input: NewTransferInput): Transfer {
  const { request, now } = input;
  const createdTime = now.toISOString();
  const targetProductTypes =
    request.targetProductTypes && request.targetProductTypes.length > 0
      ? [...new Set(request.targetProductTypes)]
      : undefined;
  return {
    id: input.id,
    customerTenantId: input.customerId,
    ...(request.customerName !== undefined ? { customerName: request.customerName } : {}),
    customerEmailId: request.customerEmailId,
    sourcePartnerTenantId: input.sourcePartner.tenantId,
    // The request's name is what the target typed; the registered name is the truth.
    sourcePartnerName: input.sourcePartner.name,
    targetPartnerTenantId: input.targetPartner.tenantId,
    targetPartnerName: input.targetPartner.name,
    ...(request.targetPartnerEmailId !== undefined
      ? { targetPartnerEmailId: request.targetPartnerEmailId }
      : {}),
    ...(targetProductTypes ? { targetProductTypes } : {}),
    ...(request.partnerOnRecord !== undefined ? { partnerOnRecord: request.partnerOnRecord } : {}),
    transferType: NEW_COMMERCE_TRANSFER_TYPE,
    status: 'Active',
    createdTime,
    lastModifiedTime: createdTime,
    lastModifiedUser: input.caller.userId,
    expirationTime: expirationTimeFor(now, input.acceptanceWindowDays ?? DEFAULT_ACCEPTANCE_WINDOW_DAYS),
    lineItems: [],
    version: 1,
  };
}

/** A pending line item copying the subscription's catalogue facts. */
export function buildLineItem(
  id: string,
  subscription: Subscription,
  choice: { quantity: number; partnerIdOnRecord?: string },
): TransferLineItem {
  return {
    id,
    subscriptionId: subscription.subscriptionId,
    quantity: choice.quantity,
    billingCycle: subscription.billingCycle,
    friendlyName: subscription.friendlyName,
    ...(choice.partnerIdOnRecord !== undefined ? { partnerIdOnRecord: choice.partnerIdOnRecord } : {}),
    offerId: subscription.offerId,
    skuId: subscription.skuId,
    catalogItemId: subscription.catalogItemId,
    termDuration: subscription.termDuration,
    productType: subscription.productType,
    status: 'Pending',
    attempts: 0,
  };
}

/** Line items for the eligible verdicts, numbered 0..n-1 in request order like the reference system's ids. */
export function lineItemsFromVerdicts(verdicts: readonly LineItemVerdict[]): TransferLineItem[] {
  return verdicts
    .flatMap((verdict) => (verdict.eligible ? [verdict] : []))
    .map((verdict, index) =>
      buildLineItem(String(index), verdict.subscription, {
        quantity: verdict.quantity,
        ...(verdict.partnerIdOnRecord !== undefined ? { partnerIdOnRecord: verdict.partnerIdOnRecord } : {}),
      }),
    );
}
