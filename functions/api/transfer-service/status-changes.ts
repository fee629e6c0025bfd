// Submit (source accepts) and cancel (target withdraws): the two calls that race for a pending transfer.
//
// The winner is decided by one conditional write, storage.transfers.changeStatus(Active -> Accepted | Canceled).
// Then the winner completes the change: it resumes the workflow's acceptance wait with the token the workflow stored
// (SendTaskSuccess / SendTaskFailure 'TransferCanceled'; if the workflow has not stored a token yet, its
// store-token step sees the new status and routes on), releases claims (cancel), and appends the audit entry.
//
// No transactions, so a crash between the status change and its follow-ups must be repairable: every caller that is
// refused because the transfer is already Accepted or Canceled (a loser of the race, a second call, the retry of a
// crashed call) first completes those follow-ups once more. They are idempotent: a used task token is refused by
// Step Functions and ignored here, claims are released only if still held, audit ids are deterministic and the
// audit entry names the winner (the stored lastModifiedUser), not the caller who repaired it.

import { releaseClaims } from '#adapters/claim-release.ts';
import type { TransferStatusChange, TransferStatusChangeResult } from '#adapters/ports.ts';
import { TransferStatusConflictError } from '#adapters/storage-errors.ts';
import { DomainError, type DomainFailure, failure, unwrap } from '#domain/errors.ts';
import { refusalForEvent, type TransferEventType } from '#domain/lifecycle.ts';
import type { Transfer, TransferStatus } from '#domain/model.ts';
import { cancelTransfer, submitTransfer } from '#domain/transfer-commands.ts';
import { logger } from '#shared/logger.ts';
import { recordTransferAccepted, recordTransferCanceled } from '#shared/observability/transfer-metrics.ts';
import { appendAudit } from './audit-trail.ts';
import type { TransferServiceDependencies } from './dependencies.ts';
import { claimSubscriptions, reconcileClaims } from './subscription-claims.ts';
import { loadTransferForAction, type TransferActionInput } from './transfer-action.ts';
import { lineItemRequestsOf, loadLineItemLookups } from './transfer-facts.ts';

type TransferHeaderFacts = Omit<Transfer, 'lineItems'>;

/** Statuses whose follow-ups a refused caller completes (see the header comment). */
const REPAIRABLE_STATUSES: readonly TransferStatus[] = ['Accepted', 'Canceled'];

async function completeAcceptance(
  deps: TransferServiceDependencies,
  header: TransferHeaderFacts,
  token: string | undefined,
): Promise<void> {
  if (token !== undefined) {
    const outcome = await deps.workflow.accept(token);
    logger.info('Acceptance sent to the workflow', { transferId: header.id, outcome });
  }
  await appendAudit(
    deps.storage,
    header,
    'TransferAccepted',
    header.lastModifiedUser,
    header.acceptedTime ?? header.lastModifiedTime,
  );
}

async function completeCancellation(
  deps: TransferServiceDependencies,
  header: TransferHeaderFacts,
  token: string | undefined,
): Promise<void> {
  if (token !== undefined) {
    const outcome = await deps.workflow.cancel(token);
    logger.info('Cancellation sent to the workflow', { transferId: header.id, outcome });
  }
  // The workflow's close step releases them too; releasing here frees the subscriptions at once.
  const stored = await deps.storage.transfers.get(header.customerTenantId, header.id);
  await releaseClaims(deps.storage, header, stored?.lineItems.map((item) => item.subscriptionId) ?? []);
  await appendAudit(
    deps.storage,
    header,
    'TransferCanceled',
    header.lastModifiedUser,
    header.lastModifiedTime,
  );
}

/** Completes the follow-ups of whichever status change won, if any is due. Never throws: it is only a repair. */
async function completeWinnersChange(
  deps: TransferServiceDependencies,
  customerId: string,
  transferId: string,
) {
  try {
    const stored = await deps.storage.transfers.getAcceptanceToken(customerId, transferId);
    if (!stored || !REPAIRABLE_STATUSES.includes(stored.status)) return;
    const transfer = await deps.storage.transfers.get(customerId, transferId);
    if (!transfer || transfer.status !== stored.status) return;
    if (transfer.status === 'Accepted') await completeAcceptance(deps, transfer, stored.acceptanceTaskToken);
    else await completeCancellation(deps, transfer, stored.acceptanceTaskToken);
  } catch (error) {
    logger.warn('Could not complete the follow-ups of an earlier status change', {
      transferId,
      error: String(error),
    });
  }
}

/** The refusal a late call gets, and the repair it performs before answering. */
async function refuseLateCall(
  deps: TransferServiceDependencies,
  transfer: Transfer,
  refusal: DomainFailure,
): Promise<never> {
  if (REPAIRABLE_STATUSES.includes(transfer.status)) {
    await completeWinnersChange(deps, transfer.customerTenantId, transfer.id);
  }
  throw new DomainError(refusal);
}

/** A lost changeStatus answers exactly like a call that came after the winner. */
function refusalForLostRace(
  transfer: Transfer,
  conflict: TransferStatusConflictError,
  event: TransferEventType,
  now: Date,
): DomainFailure {
  return (
    refusalForEvent({ ...transfer, status: conflict.currentStatus }, event, now) ??
    failure('TransferNotActive', `The transfer is ${conflict.currentStatus}: it is no longer pending.`)
  );
}

/** The single conditional write of the status change; a loser gets the answer of a late call. */
async function changeStatusOrRefuse(
  deps: TransferServiceDependencies,
  transfer: Transfer,
  event: 'Submit' | 'Cancel',
  change: TransferStatusChange,
  now: Date,
  afterLoss?: () => Promise<void>,
): Promise<TransferStatusChangeResult> {
  try {
    return await deps.storage.transfers.changeStatus(transfer.customerTenantId, transfer.id, change);
  } catch (error) {
    await afterLoss?.();
    if (!(error instanceof TransferStatusConflictError)) throw error;
    return refuseLateCall(
      deps,
      { ...transfer, status: error.currentStatus },
      refusalForLostRace(transfer, error, event, now),
    );
  }
}

async function readBack(deps: TransferServiceDependencies, header: TransferHeaderFacts, fallback: Transfer) {
  return (await deps.storage.transfers.get(header.customerTenantId, header.id)) ?? fallback;
}

/**
 * Source accepts: Active -> Accepted, conditional on the version that was judged (a concurrent change of the line
 * items makes it a 409 ConcurrentModification, never an acceptance of unjudged items).
 */
export async function submitTransferAsSource(
  deps: TransferServiceDependencies,
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

/** Target withdraws: Active -> Canceled (any version: the line items do not matter to a cancel). */
export async function cancelTransferAsTarget(
  deps: TransferServiceDependencies,
  input: TransferActionInput,
): Promise<Transfer> {
  const { caller } = input;
  const now = deps.now();
  const { transfer, callerPartner } = await loadTransferForAction(deps, input, 'cancel');
  const canceled = cancelTransfer({ caller, callerPartner, transfer, now });
  if (!canceled.ok) return refuseLateCall(deps, transfer, canceled.error);

  const result = await changeStatusOrRefuse(
    deps,
    transfer,
    'Cancel',
    {
      from: ['Active'],
      to: 'Canceled',
      set: {
        lastModifiedTime: canceled.value.lastModifiedTime,
        lastModifiedUser: canceled.value.lastModifiedUser,
      },
    },
    now,
  );
  recordTransferCanceled();
  await completeCancellation(deps, result.transfer, result.acceptanceTaskToken);
  return readBack(deps, result.transfer, { ...canceled.value, version: result.transfer.version });
}
