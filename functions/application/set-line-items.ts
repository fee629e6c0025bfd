// The source partner sets the line items of a pending transfer (PATCH with `lineItems`).
//
// Order of writes (no transactions; each step is safe to repeat):
//   0. mark the header: claims in flight (a mark of this attempt; only while Active; no version bump)
//   1. claim every wanted subscription for this transfer (conditional; idempotent for claims it holds already)
//   2. release the claims of subscriptions dropped from the line items
//   3. replace the line items, conditional on the version that was read (the only step that can lose a race),
//      removing this attempt's mark in the same write
//   4. audit entry for the source
// Releasing before storing is deliberate: a crash between two steps may leave a wanted claim that nothing uses
// (the retry of the same request stores it) or a stored line item whose claim is already released (the retry
// releases it for good; until then submit, which claims every line item before it accepts, repairs or refuses
// it), but never a claim of a dropped subscription that no later request knows about and that would keep the
// subscription out of every other transfer. A change refused after step 1 or lost at step 3 puts the claims back
// in line with the stored transfer and then removes its mark (reconcileClaims). The mark is what lets the close
// steps find claims outside the line items in O(line items): only a mark left behind by an attempt that died
// after step 0 sends them through all the customer's subscriptions (releaseEveryClaim).

import { randomUUID } from 'node:crypto';
import { DomainError, failure, unwrap } from '#domain/errors.ts';
import { refusalForEvent } from '#domain/lifecycle.ts';
import type { LineItemRequest, Transfer } from '#domain/model.ts';
import { setTransferLineItems } from '#domain/transfer-commands.ts';
import { appendAudit } from './audit-trail.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import { TransferStatusConflictError, VersionConflictError } from './storage-errors.ts';
import { claimSubscriptions, reconcileClaims, releaseClaims } from './subscription-claims.ts';
import { loadTransferForAction, type TransferActionInput } from './transfer-action.ts';
import { loadLineItemLookups } from './transfer-facts.ts';

export interface SetLineItemsInput extends TransferActionInput {
  lineItems: readonly LineItemRequest[];
}

export async function setLineItems(
  deps: TransferWriteDependencies,
  input: SetLineItemsInput,
): Promise<Transfer> {
  const { storage } = deps;
  const { caller, customerId, transferId } = input;
  const now = deps.now();
  // Who may act, then state, before the (possibly 1,000) subscriptions are read.
  const { transfer, callerPartner } = await loadTransferForAction(deps, input, 'updateLineItems');
  const late = refusalForEvent(transfer, 'SetLineItems', now);
  if (late) throw new DomainError(late);

  const lookups = await loadLineItemLookups(storage, transfer, input.lineItems);
  const { transfer: changed } = unwrap(
    setTransferLineItems({ caller, callerPartner, transfer, now, lineItems: input.lineItems, ...lookups }),
  );

  // 0. Before any claim: what the close steps look for if this attempt dies before step 3 or its repair.
  const wanted = changed.lineItems.map((item) => item.subscriptionId);
  const claimsInFlight = wanted.length > 0 ? randomUUID() : undefined;
  if (claimsInFlight !== undefined) await markClaimsInFlight(deps, transfer, claimsInFlight, now);

  // 1. Claims first: a subscription that another open transfer holds is refused here even if it was free when read.
  const claims = await claimSubscriptions(storage, transfer, wanted);
  if (claims.refused.length > 0) {
    await reconcileClaims(storage, transfer, { claimed: claims.claimed, claimsInFlight });
    throw new DomainError(failure('LineItemsRefused', undefined, claims.refused));
  }

  // 2. Claims of dropped subscriptions.
  const kept = new Set(wanted);
  const dropped = transfer.lineItems.map((item) => item.subscriptionId).filter((id) => !kept.has(id));
  await releaseClaims(storage, transfer, dropped);

  // 3. The line items, if nobody changed the transfer since it was read.
  let version: number;
  try {
    version = await storage.transfers.replaceLineItems(customerId, transferId, changed.lineItems, {
      expectedVersion: transfer.version,
      set: { lastModifiedTime: changed.lastModifiedTime, lastModifiedUser: changed.lastModifiedUser },
      claimsInFlight,
    });
  } catch (error) {
    await reconcileClaims(storage, transfer, { claimed: claims.claimed, released: dropped, claimsInFlight });
    // A submit or cancel that won in the meantime answers like a late call would.
    if (error instanceof VersionConflictError) await refuseIfNoLongerActive(deps, transfer, now);
    throw error;
  }

  // 4.
  await appendAudit(storage, transfer, 'TransferUpdated', caller.userId, changed.lastModifiedTime, {
    revision: version,
    details: { lineItemCount: changed.lineItems.length },
  });
  return { ...changed, version };
}

/** Marks the header; a transfer that left Active since it was read gets the status refusal, before any claim. */
async function markClaimsInFlight(
  deps: TransferWriteDependencies,
  read: Transfer,
  mark: string,
  now: Date,
): Promise<void> {
  try {
    await deps.storage.transfers.markClaimsInFlight(read.customerTenantId, read.id, mark);
  } catch (error) {
    if (!(error instanceof TransferStatusConflictError)) throw error;
    const refusal = refusalForEvent({ ...read, status: error.currentStatus }, 'SetLineItems', now);
    throw refusal ? new DomainError(refusal) : error;
  }
}

/** After a lost version race: if the transfer left Active, the answer is the status refusal, not a retry hint. */
async function refuseIfNoLongerActive(
  deps: TransferWriteDependencies,
  read: Transfer,
  now: Date,
): Promise<void> {
  const current = await deps.storage.transfers.getStatusAndAcceptanceToken(read.customerTenantId, read.id);
  if (!current || current.status === 'Active') return;
  const refusal = refusalForEvent({ ...read, status: current.status }, 'SetLineItems', now);
  if (refusal) throw new DomainError(refusal);
}
