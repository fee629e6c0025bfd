// Claims tie a subscription to the one open transfer that may move it (storage: Subscription.openTransferId, a
// conditional write). No transactions: claims are written before the line items that need them, and a claim that
// no stored line item needs any more is released afterwards; every step succeeds again when repeated.

import { type DomainFailureDetail, failure } from '#domain/errors.ts';
import { OPEN_TRANSFER_STATUSES } from '#domain/lifecycle.ts';
import type { Transfer } from '#domain/model.ts';
import { logger } from '#shared/logger.ts';
import type { UseCaseStorage } from './dependencies.ts';
import { forEachConcurrently } from './for-each-concurrently.ts';
import type { SubscriptionRepository } from './ports.ts';
import { ConditionFailedError, NotFoundError, SubscriptionConflictError } from './storage-errors.ts';

/** Claims and releases run this many at a time (a transfer may have 1,000 line items). */
const CLAIM_CONCURRENCY = 16;
const CLAIM_ATTEMPTS = 3;

type ClaimingTransfer = Pick<Transfer, 'id' | 'customerTenantId' | 'sourcePartnerTenantId'>;

function refusalOf(error: unknown, subscriptionId: string): DomainFailureDetail | undefined {
  const detail = (
    code: 'SubscriptionInOpenTransfer' | 'SubscriptionNotBilledBySource' | 'SubscriptionNotFound',
  ) =>
    ({ code, description: failure(code).description, target: subscriptionId }) satisfies DomainFailureDetail;
  if (error instanceof NotFoundError) return detail('SubscriptionNotFound');
  if (error instanceof SubscriptionConflictError) {
    return error.reason === 'claimed-by-another-transfer'
      ? detail('SubscriptionInOpenTransfer')
      : detail('SubscriptionNotBilledBySource');
  }
  return undefined;
}

export interface ClaimOutcome {
  /** Subscriptions this transfer holds now (including those it held already). */
  claimed: string[];
  /** One detail per subscription that could not be claimed, in request order. */
  refused: DomainFailureDetail[];
}

/** Claims every subscription for the transfer; idempotent for claims the transfer already holds. */
export async function claimSubscriptions(
  storage: UseCaseStorage,
  transfer: ClaimingTransfer,
  subscriptionIds: readonly string[],
): Promise<ClaimOutcome> {
  const refusedById = new Map<string, DomainFailureDetail>();
  const claimed: string[] = [];
  await forEachConcurrently(subscriptionIds, CLAIM_CONCURRENCY, async (subscriptionId) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await storage.subscriptions.claimForTransfer(
          transfer.customerTenantId,
          subscriptionId,
          transfer.id,
          transfer.sourcePartnerTenantId,
        );
        claimed.push(subscriptionId);
        return;
      } catch (error) {
        // A concurrent release made the refusing state vanish: simply claim again.
        if (error instanceof ConditionFailedError && attempt < CLAIM_ATTEMPTS) continue;
        const refusal = refusalOf(error, subscriptionId);
        if (!refusal) throw error;
        refusedById.set(subscriptionId, refusal);
        return;
      }
    }
  });
  const refused = subscriptionIds.flatMap((id) => {
    const refusal = refusedById.get(id);
    return refusal ? [refusal] : [];
  });
  return { claimed, refused };
}

/**
 * Releases the transfer's claims on these subscriptions; a claim held by another transfer is never touched.
 * Resolves how many claims this call released (repeating it releases none).
 */
/** What releasing a transfer's claims needs of the subscriptions (the close and finalise steps wire only this). */
export type ClaimReleases = Pick<SubscriptionRepository, 'releaseClaim' | 'claimedBy'>;

export async function releaseClaims(
  storage: { subscriptions: Pick<ClaimReleases, 'releaseClaim'> },
  transfer: { id: string; customerTenantId: string },
  subscriptionIds: readonly string[],
): Promise<number> {
  let released = 0;
  await forEachConcurrently(subscriptionIds, CLAIM_CONCURRENCY, async (subscriptionId) => {
    if (await storage.subscriptions.releaseClaim(transfer.customerTenantId, subscriptionId, transfer.id)) {
      released += 1;
    }
  });
  return released;
}

/**
 * For a transfer that has ended: releases every claim it still holds on the customer's subscriptions, line item or
 * not. A PATCH that dies between claiming subscriptions and storing them as line items (a kill, or a retry refused
 * because the transfer ended meanwhile) leaves claims outside the line items; an ended transfer must hold none.
 * Each PATCH marks the header before its first claim and unmarks it in the write that stores its line items (or once
 * its claims are put back in line), so only `claimsInFlight` (a mark left behind) calls for the search through all
 * the customer's subscriptions; otherwise the line items are all the claims there are, and the cost is theirs.
 * Resolves how many claims this call released.
 */
export async function releaseEveryClaim(
  storage: { subscriptions: ClaimReleases },
  transfer: { id: string; customerTenantId: string; lineItems: readonly { subscriptionId: string }[] },
  claimsInFlight: boolean,
): Promise<number> {
  const held = new Set(transfer.lineItems.map((item) => item.subscriptionId));
  if (claimsInFlight) {
    const claimed = await storage.subscriptions.claimedBy(transfer.customerTenantId, transfer.id);
    for (const subscriptionId of claimed) held.add(subscriptionId);
  }
  return releaseClaims(storage, transfer, [...held]);
}

/**
 * After a change that touched claims but did not store its line items (refused items, a lost race), makes the
 * claims agree with the transfer as stored now: subscriptions it `claimed` that the stored transfer does not list
 * (or no longer needs: a transfer that closed meanwhile needs none, and a claim taken after its close step ran would
 * otherwise stay behind) are released; subscriptions it `released` that the stored, still open transfer lists
 * are claimed again, since a submit may have accepted them in between (a refusal here is left to the move, which
 * claims an unclaimed subscription as it moves it, or reports the item). Then the change's `claimsInFlight` mark
 * is removed: its claims are back in line.
 * Best effort: if storage fails here, it is logged and the mark stays, so the close step searches all the
 * customer's subscriptions for this transfer's claims; a claim left behind keeps that subscription out of other
 * transfers until this transfer takes it as a line item again and drops it, or ends (its close step releases every
 * claim it still holds).
 */
export async function reconcileClaims(
  storage: UseCaseStorage,
  transfer: ClaimingTransfer,
  changed: { claimed: readonly string[]; released?: readonly string[]; claimsInFlight?: string },
): Promise<void> {
  const released = changed.released ?? [];
  try {
    if (changed.claimed.length > 0 || released.length > 0) {
      const stored = await storage.transfers.get(transfer.customerTenantId, transfer.id);
      const open = stored !== undefined && OPEN_TRANSFER_STATUSES.includes(stored.status);
      const needed = new Set(open ? stored.lineItems.map((item) => item.subscriptionId) : []);
      await releaseClaims(
        storage,
        transfer,
        changed.claimed.filter((id) => !needed.has(id)),
      );
      if (open) {
        await claimSubscriptions(
          storage,
          transfer,
          released.filter((id) => needed.has(id)),
        );
      }
    }
    if (changed.claimsInFlight !== undefined) {
      await storage.transfers.clearClaimsInFlight(
        transfer.customerTenantId,
        transfer.id,
        changed.claimsInFlight,
      );
    }
  } catch (error) {
    logger.warn('Could not reconcile claims after a refused change', {
      transferId: transfer.id,
      error: String(error),
    });
  }
}
