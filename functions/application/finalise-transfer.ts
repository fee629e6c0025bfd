// FinaliseTransfer: every line item is settled. Gives back the claims of the items that failed (their subscriptions
// stay with the source and must be free for a later transfer), then InProgress -> Complete, or CompletedWithErrors
// when some items failed (the domain's Finalise decides), with one conditional write; then the TransferCompleted
// audit entry for both partners, naming the failed items. Idempotent: for a transfer already finished the claims are
// released again (no-ops) and the audit entry appended again (a harmless duplicate, same id and time), and its status
// is returned, so a crash between any two writes is repaired by the retry.

import { unwrap } from '#domain/errors.ts';
import { applyTransferEvent, SYSTEM_ACTOR } from '#domain/lifecycle.ts';
import type { Transfer, TransferStatus } from '#domain/model.ts';
import { transferProgress } from '#domain/progress.ts';
import { recordTransferCompleted } from '#shared/observability/transfer-metrics.ts';
import { WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import { appendAudit } from './audit-trail.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';

type FinaliseDependencies = UseCaseDependenciesWith<'transfers' | 'audit'> & {
  storage: { subscriptions: ClaimReleases };
};

import { TransferStatusConflictError } from './storage-errors.ts';
import { type ClaimReleases, releaseEveryClaim } from './subscription-claims.ts';
import type { TransferKey } from './transfer-facts.ts';
import { namedError, transferNotFound } from './workflow-errors.ts';

export interface FinaliseOutput {
  customerId: string;
  transferId: string;
  status: TransferStatus;
  moved: number;
  failed: number;
  total: number;
  /** The line items that could not be moved (CompletedWithErrors). */
  failedLineItemIds: string[];
}

const failedIds = (transfer: Transfer) =>
  transfer.lineItems.filter((item) => item.status === 'Failed').map((item) => item.id);

/**
 * A failed item's subscription stays with the source and must be free to join another transfer; so must one a
 * crashed PATCH claimed outside the line items, looked for only if the header still shows claims in flight (a moved
 * one's claim went with the move).
 */
const releaseFailedClaims = (
  storage: FinaliseDependencies['storage'],
  transfer: Transfer,
  claimsInFlight: boolean,
) =>
  releaseEveryClaim(
    storage,
    { ...transfer, lineItems: transfer.lineItems.filter((item) => item.status === 'Failed') },
    claimsInFlight,
  );

/** A finished transfer: its claims released (again), then its audit entry. */
async function completed(
  storage: FinaliseDependencies['storage'],
  transfer: Transfer,
  claimsInFlight: boolean,
): Promise<FinaliseOutput> {
  await releaseFailedClaims(storage, transfer, claimsInFlight);
  return audited(storage, transfer);
}

async function audited(
  storage: FinaliseDependencies['storage'],
  transfer: Transfer,
): Promise<FinaliseOutput> {
  const progress = transferProgress(transfer);
  const failedLineItemIds = failedIds(transfer);
  await appendAudit(
    storage,
    transfer,
    'TransferCompleted',
    SYSTEM_ACTOR,
    transfer.completedTime ?? transfer.lastModifiedTime,
    {
      details: {
        status: transfer.status,
        moved: progress.moved,
        failed: progress.failed,
        total: progress.total,
        ...(failedLineItemIds.length > 0 ? { failedLineItemIds: failedLineItemIds.join(',') } : {}),
      },
    },
  );
  return {
    customerId: transfer.customerTenantId,
    transferId: transfer.id,
    status: transfer.status,
    ...progress,
    failedLineItemIds,
  };
}

export async function finaliseTransfer(
  { storage, now }: FinaliseDependencies,
  input: TransferKey,
): Promise<FinaliseOutput> {
  const { customerId, transferId } = input;
  const read = await storage.transfers.getWithClaimsInFlight(customerId, transferId);
  if (!read) throw transferNotFound(customerId, transferId);
  const { transfer, claimsInFlight } = read;
  if (transfer.status === 'Complete' || transfer.status === 'CompletedWithErrors') {
    return completed(storage, transfer, claimsInFlight);
  }
  if (transfer.status !== 'InProgress') {
    throw namedError(
      WORKFLOW_FAULTS.TransferNotInProgress,
      `Transfer ${transferId} is ${transfer.status}; it cannot be finalised.`,
    );
  }
  const result = applyTransferEvent(transfer, { type: 'Finalise' }, now());
  if (!result.ok && result.error.code === 'LineItemsNotSettled') {
    throw namedError(
      WORKFLOW_FAULTS.LineItemsNotSettled,
      `Transfer ${transferId}: ${result.error.description}`,
    );
  }
  const finalised = unwrap(result);
  await releaseFailedClaims(storage, finalised, claimsInFlight);
  try {
    await storage.transfers.changeStatus(customerId, transferId, {
      from: ['InProgress'],
      to: finalised.status,
      set: {
        lastModifiedTime: finalised.lastModifiedTime,
        lastModifiedUser: finalised.lastModifiedUser,
        ...(finalised.completedTime === undefined ? {} : { completedTime: finalised.completedTime }),
      },
    });
  } catch (error) {
    if (!(error instanceof TransferStatusConflictError)) throw error;
    // Finalised meanwhile by a duplicate invocation: report what it stored.
    const stored = await storage.transfers.getWithClaimsInFlight(customerId, transferId);
    if (!stored) throw transferNotFound(customerId, transferId);
    return completed(storage, stored.transfer, stored.claimsInFlight);
  }
  recordTransferCompleted(finalised);
  // Its claims were released just before the status change: releasing them again would repeat the same writes.
  return audited(storage, finalised);
}
