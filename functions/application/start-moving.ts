// StartMoving: the source accepted. Writes the source's TransferAccepted audit entry, then Accepted -> InProgress
// (one conditional write), and answers the ids of the line items still to move (neither Complete nor Failed).
// Idempotent and resumable: the audit entry first (its id is deterministic), so a crash before the status change is
// repaired by the retry; a transfer already InProgress (a retry, or a workflow resumed after a restart) is simply
// moved on; one already finished answers no line items (finalise then only confirms its status).

import { SYSTEM_ACTOR } from '#domain/lifecycle.ts';
import { isLineItemSettled } from '#domain/line-item-status.ts';
import type { Transfer } from '#domain/model.ts';
import { WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import { appendAudit } from './audit-trail.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';
import type { LineItemSetRef, TransferHeader } from './ports.ts';
import { TransferStatusConflictError } from './storage-errors.ts';
import type { TransferKey } from './transfer-facts.ts';
import { namedError, transferNotFound } from './workflow-errors.ts';

/**
 * What every move of this transfer needs from its header, frozen since acceptance: the Map hands it to each move, so a
 * move does not read the header again.
 */
export interface MoveFacts {
  fromTenantId: string;
  toTenantId: string;
  lineItemSet: LineItemSetRef;
}

export interface StartMovingOutput {
  customerId: string;
  transferId: string;
  lineItemIds: string[];
  move: MoveFacts;
}

async function auditAcceptance(
  storage: UseCaseDependenciesWith<'audit'>['storage'],
  transfer: Transfer | TransferHeader,
  now: Date,
) {
  // While Accepted, the last change is the submit itself: its user and time are the acceptance's.
  const submitted = transfer.status === 'Accepted';
  await appendAudit(
    storage,
    transfer,
    'TransferAccepted',
    submitted ? transfer.lastModifiedUser : SYSTEM_ACTOR,
    transfer.acceptedTime ?? (submitted ? transfer.lastModifiedTime : now.toISOString()),
  );
}

export async function startMoving(
  { storage, now }: UseCaseDependenciesWith<'transfers' | 'audit'>,
  input: TransferKey,
): Promise<StartMovingOutput> {
  const { customerId, transferId } = input;
  const transfer = await storage.transfers.get(customerId, transferId);
  if (!transfer) throw transferNotFound(customerId, transferId);
  // Line items are frozen once accepted, so the set the header names now is the one every move writes to.
  const header = await storage.transfers.getHeader(customerId, transferId);
  if (!header) throw transferNotFound(customerId, transferId);
  const move: MoveFacts = {
    fromTenantId: header.sourcePartnerTenantId,
    toTenantId: header.targetPartnerTenantId,
    lineItemSet: header.lineItemSet,
  };
  const output = (lineItemIds: string[]): StartMovingOutput => ({
    customerId,
    transferId,
    lineItemIds,
    move,
  });
  const unsettled = () =>
    output(transfer.lineItems.filter((item) => !isLineItemSettled(item.status)).map((item) => item.id));

  switch (transfer.status) {
    case 'Accepted': {
      await auditAcceptance(storage, transfer, now());
      try {
        await storage.transfers.changeStatus(customerId, transferId, {
          from: ['Accepted'],
          to: 'InProgress',
          set: { lastModifiedTime: now().toISOString(), lastModifiedUser: SYSTEM_ACTOR },
        });
      } catch (error) {
        if (!(error instanceof TransferStatusConflictError) || error.currentStatus !== 'InProgress')
          throw error;
      }
      return unsettled();
    }
    case 'InProgress':
      await auditAcceptance(storage, transfer, now());
      return unsettled();
    case 'Complete':
    case 'CompletedWithErrors':
      return output([]);
    default:
      throw namedError(
        WORKFLOW_FAULTS.TransferNotAccepted,
        `Transfer ${transferId} is ${transfer.status}; line items move only after acceptance.`,
      );
  }
}
