// What happens after submit (source accepts) or cancel (target withdraws), the two calls that race for a pending
// transfer. The winner is decided by one conditional write, storage.transfers.changeStatus(Active -> Accepted | Canceled).
// Then the winner completes the change: it resumes the workflow's acceptance wait with the token the workflow stored
// (SendTaskSuccess / SendTaskFailure 'TransferCanceled'; if the workflow has not stored a token yet, its
// store-token step sees the new status and routes on), releases claims (cancel), and appends the audit entry.
//
// No transactions, so a crash between the status change and its follow-ups must be repairable: every caller that is
// refused because the transfer is already Accepted or Canceled (a loser of the race, a second call, the retry of a
// crashed call) first completes those follow-ups once more. They are idempotent: a used task token is refused by
// Step Functions and ignored here, claims are released only if still held, audit ids are deterministic and the
// audit entry names the winner (the stored lastModifiedUser), not the caller who repaired it.

import { DomainError, type DomainFailure, failure } from '#domain/errors.ts';
import { refusalForEvent, type TransferEventType } from '#domain/lifecycle.ts';
import type { Transfer, TransferStatus } from '#domain/model.ts';
import { logger } from '#shared/logger.ts';
import { appendAudit } from './audit-trail.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import type { ResumeOutcome, TransferStatusChange, TransferStatusChangeResult } from './ports.ts';
import { TransferStatusConflictError } from './storage-errors.ts';
import { releaseClaims } from './subscription-claims.ts';

export type TransferHeaderFacts = Omit<Transfer, 'lineItems'>;

/** Statuses whose follow-ups a refused caller completes (see the header comment). */
const REPAIRABLE_STATUSES: readonly TransferStatus[] = ['Accepted', 'Canceled'];

export async function completeAcceptance(
  deps: { storage: Pick<TransferWriteDependencies['storage'], 'audit'> } & {
    workflow: Pick<TransferWriteDependencies['workflow'], 'accept'>;
  },
  header: TransferHeaderFacts,
  token: string | undefined,
): Promise<ResumeOutcome | undefined> {
  const outcome = token === undefined ? undefined : await deps.workflow.accept(token);
  if (outcome !== undefined)
    logger.info('Acceptance sent to the workflow', { transferId: header.id, outcome });
  await appendAudit(
    deps.storage,
    header,
    'TransferAccepted',
    header.lastModifiedUser,
    header.acceptedTime ?? header.lastModifiedTime,
  );
  return outcome;
}

export async function completeCancellation(
  deps: TransferWriteDependencies,
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

/**
 * The header and the stored acceptance token of a transfer that has one of `statuses` (two reads: the token is no
 * header field; the acceptance's follow-ups need the header only, the cancellation's read the line items
 * themselves), or the status it has instead.
 */
export async function readForFollowUps(
  storage: Pick<TransferWriteDependencies['storage'], 'transfers'>,
  customerId: string,
  transferId: string,
  statuses: readonly TransferStatus[],
): Promise<
  { header: TransferHeaderFacts; token: string | undefined } | { status: TransferStatus | undefined }
> {
  const stored = await storage.transfers.getStatusAndAcceptanceToken(customerId, transferId);
  if (!stored || !statuses.includes(stored.status)) return { status: stored?.status };
  const header = await storage.transfers.getHeader(customerId, transferId);
  if (!header || header.status !== stored.status) return { status: header?.status };
  return { header, token: stored.acceptanceTaskToken };
}

/** Completes the follow-ups of whichever status change won, if any is due. Never throws: it is only a repair. */
async function completeWinnersChange(
  deps: TransferWriteDependencies,
  customerId: string,
  transferId: string,
) {
  try {
    const read = await readForFollowUps(deps.storage, customerId, transferId, REPAIRABLE_STATUSES);
    if (!('header' in read)) return;
    const { header: transfer, token } = read;
    if (transfer.status === 'Accepted') await completeAcceptance(deps, transfer, token);
    else await completeCancellation(deps, transfer, token);
  } catch (error) {
    logger.warn('Could not complete the follow-ups of an earlier status change', {
      transferId,
      error: String(error),
    });
  }
}

/** The refusal a late call gets, and the repair it performs before answering. */
export async function refuseLateCall(
  deps: TransferWriteDependencies,
  transfer: TransferHeaderFacts,
  refusal: DomainFailure,
): Promise<never> {
  if (REPAIRABLE_STATUSES.includes(transfer.status)) {
    await completeWinnersChange(deps, transfer.customerTenantId, transfer.id);
  }
  throw new DomainError(refusal);
}

/** A lost changeStatus answers exactly like a call that came after the winner. */
function refusalForLostRace(
  transfer: TransferHeaderFacts,
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
export async function changeStatusOrRefuse(
  deps: TransferWriteDependencies,
  transfer: TransferHeaderFacts,
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

export async function readBack(
  deps: TransferWriteDependencies,
  header: TransferHeaderFacts,
  fallback: Transfer,
) {
  return (await deps.storage.transfers.get(header.customerTenantId, header.id)) ?? fallback;
}
