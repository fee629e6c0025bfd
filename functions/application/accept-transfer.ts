// Accept (the source's submit): Active -> Accepted, conditional on the version of the line items the source saw, then
// the follow-ups (status-change-follow-ups.ts says why a crash between them is repaired by any later call).
// Constant work whatever the number of line items: the items were judged and their subscriptions claimed when they
// were set; the workflow moves them one by one (a subscription that changed since fails its own move).
// Order: win the status change, resume the workflow, append the audit entry. Reads the header only (one GetItem).
import { unwrap } from '#domain/errors.ts';
import { refusalForEvent } from '#domain/lifecycle.ts';
import { submitTransfer } from '#domain/transfer-commands.ts';
import { recordTransferAccepted } from '#shared/observability/transfer-metrics.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import type { TransferHeader } from './ports.ts';
import { changeStatusOrRefuse, completeAcceptance, refuseLateCall } from './status-change-follow-ups.ts';
import { loadTransferHeaderForAction, type TransferActionInput } from './transfer-action.ts';

/**
 * Source accepts: Active -> Accepted, conditional on the version that was judged (a concurrent change of the line
 * items makes it a 409 ConcurrentModification, never an acceptance of unjudged items). Resolves the header as the
 * status change stored it (Accepted, with the line item count): no line item is read, whatever their number.
 */
export async function acceptTransferAsSource(
  deps: TransferWriteDependencies,
  input: TransferActionInput,
): Promise<TransferHeader> {
  const { caller } = input;
  const now = deps.now();
  const { transfer, callerPartner } = await loadTransferHeaderForAction(deps, input, 'submit');
  const late = refusalForEvent(transfer, 'Submit', now);
  if (late) return refuseLateCall(deps, transfer, late);

  const accepted = unwrap(submitTransfer({ caller, callerPartner, transfer, now }));

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
  );
  recordTransferAccepted();
  await completeAcceptance(deps, result.transfer, result.acceptanceTaskToken);
  return result.transfer;
}
