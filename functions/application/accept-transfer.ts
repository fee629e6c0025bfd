// Accept (the source's submit): Active -> Accepted, conditional on the version that was judged, then the follow-ups
// (status-change-follow-ups.ts says why a crash between them is repaired by any later call).
// Order: judge the stored line items, claim every subscription (restoring a claim a racing update released), win
// the status change, resume the workflow, append the audit entry. A lost race releases the claims it just took.
import { DomainError, failure, unwrap } from '#domain/errors.ts';
import { refusalForEvent } from '#domain/lifecycle.ts';
import type { Transfer } from '#domain/model.ts';
import { submitTransfer } from '#domain/transfer-commands.ts';
import { recordTransferAccepted } from '#shared/observability/transfer-metrics.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import {
  changeStatusOrRefuse,
  completeAcceptance,
  readBack,
  refuseLateCall,
} from './status-change-follow-ups.ts';
import { claimSubscriptions, reconcileClaims } from './subscription-claims.ts';
import { loadTransferForAction, type TransferActionInput } from './transfer-action.ts';
import { lineItemRequestsOf, loadLineItemLookups } from './transfer-facts.ts';

/**
 * Source accepts: Active -> Accepted, conditional on the version that was judged (a concurrent change of the line
 * items makes it a 409 ConcurrentModification, never an acceptance of unjudged items).
 */
export async function acceptTransferAsSource(
  deps: TransferWriteDependencies,
  input: TransferActionInput,
): Promise<Transfer> {
  const { storage } = deps;
  const { caller } = input;
  const now = deps.now();
  const { transfer, callerPartner } = await loadTransferForAction(deps, input, 'submit');
  const late = refusalForEvent(transfer, 'Submit', now);
  if (late) return refuseLateCall(deps, transfer, late);

  const lookups = await loadLineItemLookups(storage, transfer, lineItemRequestsOf(transfer));
  const accepted = unwrap(submitTransfer({ caller, callerPartner, transfer, now, ...lookups }));

  // Every line item must be this transfer's to move; this also restores a claim a racing update released.
  const claims = await claimSubscriptions(
    storage,
    transfer,
    transfer.lineItems.map((item) => item.subscriptionId),
  );
  if (claims.refused.length > 0)
    throw new DomainError(failure('LineItemsRefused', undefined, claims.refused));

  const result = await changeStatusOrRefuse(
    deps,
    transfer,
    'Submit',
    {
      from: ['Active'],
      to: 'Accepted',
      expectedVersion: transfer.version,
      set: {
        lastModifiedTime: accepted.lastModifiedTime,
        lastModifiedUser: accepted.lastModifiedUser,
        ...(accepted.acceptedTime !== undefined ? { acceptedTime: accepted.acceptedTime } : {}),
      },
    },
    now,
    // Lost: the claims just taken may belong to items a racing update dropped, or to a transfer that closed.
    () => reconcileClaims(storage, transfer, { claimed: claims.claimed }),
  );
  recordTransferAccepted();
  await completeAcceptance(deps, result.transfer, result.acceptanceTaskToken);
  return readBack(deps, result.transfer, { ...accepted, version: result.transfer.version });
}
