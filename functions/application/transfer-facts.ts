// Loads what the pure domain commands look at: the caller's partner record, the transfer, and the lookups that
// judging line items needs. Reads only; every function here is safe to call again.

import type { LineItemLookups } from '#domain/eligibility.ts';
import { DomainError, failure } from '#domain/errors.ts';
import type { Caller, LineItemRequest, Partner, Subscription, Transfer } from '#domain/model.ts';
import type { UseCaseStorage } from './dependencies.ts';
import type { Page, PageRequest } from './ports.ts';

/** Every page of a listing; `limit` pages at a time. */
export async function listAll<T>(
  list: (page: PageRequest) => Promise<Page<T>>,
  until?: (items: readonly T[]) => boolean,
): Promise<T[]> {
  const found: T[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await list({ limit: 1000, ...(continuationToken ? { continuationToken } : {}) });
    found.push(...page.items);
    if (until?.(page.items)) break;
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return found;
}

export function loadCallerPartner(storage: UseCaseStorage, caller: Caller): Promise<Partner | undefined> {
  return storage.directory.getPartner(caller.tenantId);
}

/** The transfer, or the domain's TransferNotFound (also when it belongs to another customer). */
export async function requireTransfer(
  storage: UseCaseStorage,
  customerId: string,
  transferId: string,
): Promise<Transfer> {
  const transfer = await storage.transfers.get(customerId, transferId);
  if (!transfer) throw new DomainError(failure('TransferNotFound'));
  return transfer;
}

/** Partners by partner ID (MPN), for partner-of-record checks. Listed only when a check needs it. */
export async function partnersByPartnerId(storage: UseCaseStorage): Promise<Map<string, Partner>> {
  const partners = await listAll((page) => storage.directory.listPartners(page));
  return new Map(partners.map((partner) => [partner.partnerId, partner]));
}

/** Whether judging these partners of record needs the partner directory (anything but the target itself). */
export function needsPartnerDirectory(
  partnerIdsOnRecord: readonly (string | undefined)[],
  target: Pick<Partner, 'partnerId'>,
): boolean {
  return partnerIdsOnRecord.some((id) => id !== undefined && id !== target.partnerId);
}

/** The lookups for judging `requests` as line items of `transfer`. */
export async function loadLineItemLookups(
  storage: UseCaseStorage,
  transfer: Transfer,
  requests: readonly LineItemRequest[],
): Promise<LineItemLookups> {
  const subscriptionIds = [...new Set(requests.map((request) => request.subscriptionId))];
  const [subscriptions, targetPartner] = await Promise.all([
    subscriptionIds.length > 0
      ? storage.subscriptions.getMany(transfer.customerTenantId, subscriptionIds)
      : Promise.resolve([] as Subscription[]),
    storage.directory.getPartner(transfer.targetPartnerTenantId),
  ]);
  if (!targetPartner) {
    throw new Error(
      `Transfer ${transfer.id} names target ${transfer.targetPartnerTenantId}, which is not a partner`,
    );
  }
  const partnerIds = [transfer.partnerOnRecord, ...requests.map((request) => request.partnerIdOnRecord)];
  const directory = needsPartnerDirectory(partnerIds, targetPartner)
    ? await partnersByPartnerId(storage)
    : new Map<string, Partner>();
  const byId = new Map(subscriptions.map((subscription) => [subscription.subscriptionId, subscription]));
  return {
    subscriptionById: (subscriptionId) => byId.get(subscriptionId),
    targetPartner,
    partnerById: (partnerId) => directory.get(partnerId),
  };
}

/** The line items of a transfer as requests, to judge them again (submit). */
export function lineItemRequestsOf(transfer: Transfer): LineItemRequest[] {
  return transfer.lineItems.map((item) => ({
    subscriptionId: item.subscriptionId,
    quantity: item.quantity,
    ...(item.partnerIdOnRecord !== undefined ? { partnerIdOnRecord: item.partnerIdOnRecord } : {}),
  }));
}

/** How the workflow names a transfer and one of its line items. */
export interface TransferKey {
  customerId: string;
  transferId: string;
}

export interface LineItemKey extends TransferKey {
  lineItemId: string;
}
