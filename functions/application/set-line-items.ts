// The source partner sets the line items of a pending transfer (PATCH with `lineItems`).
//
// Order of writes (no transactions; each step is safe to repeat):
//   1. claim every wanted subscription for this transfer (conditional; idempotent for claims it holds already)
//   2. release the claims of subscriptions dropped from the line items
//   3. replace the line items, conditional on the version that was read (the only step that can lose a race)
//   4. audit entry for the source
// Releasing before storing is deliberate: a crash between two steps may leave a wanted claim that nothing uses
// (the retry of the same request stores it) or a stored line item whose claim is already released (the retry
// releases it for good; until then submit, which claims every line item before it accepts, repairs or refuses
// it), but never a claim of a dropped subscription that no later request knows about and that would keep the
// subscription out of every other transfer. A change refused after step 1 or lost at step 3 puts the claims back
// in line with the stored transfer (reconcileClaims).

import { DomainError, failure, unwrap } from '#domain/errors.ts';
import { refusalForEvent } from '#domain/lifecycle.ts';
import type { LineItemRequest, Transfer } from '#domain/model.ts';
import { setTransferLineItems } from '#domain/transfer-commands.ts';
import { appendAudit } from './audit-trail.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import { VersionConflictError } from './storage-errors.ts';
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

  // 1. Claims first: a subscription that another open transfer holds is refused here even if it was free when read.
  const wanted = changed.lineItems.map((item) => item.subscriptionId);
  const claims = await claimSubscriptions(storage, transfer, wanted);
  if (claims.refused.length > 0) {
    await reconcileClaims(storage, transfer, { claimed: claims.claimed });
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
    });
  } catch (error) {
    await reconcileClaims(storage, transfer, { claimed: claims.claimed, released: dropped });
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
