// Move item (one Map iteration of the workflow): moves one subscription's billing owner from the source to the target.
//
// Three DynamoDB writes and no read (the header's facts come with the input: StartMoving read them once for all the
// moves, and they are frozen once a transfer is accepted). In order (no transactions; a crash between any two leaves
// data the retry completes):
//   1. the line item: attempts + 1, InProgress (conditional: only while Pending or InProgress, so an item already
//      Complete or Failed answers at once and is never attempted again). Its returned values give the subscription.
//   2. the subscription: one conditional write through the SubscriptionMover port; if this transfer already moved
//      it (a crash after 2, or a duplicate invocation), the port answers alreadyMoved, which counts as success;
//   3. the line item: Complete with its completion time (the last error is cleared).
// Why three and not two: write 1 is what refuses a settled item before the subscription is touched, makes the attempt
// durable before the attempt (so the retry schedule and the sandbox faults count attempts a crash interrupted), marks
// the item InProgress for the reconciler and the progress view, and reads the subscription id in the same request, which
// keeps the Map's input to line item ids (a 256 KiB state holds ~45,000 of them; with subscription ids, ~5,000).
// Folding 2 and 3 into one transaction would cost the same write units twice over (a transactional write is billed
// double) and the local DynamoDB emulator has no transactions.
// A transient failure records the item's last error, then rethrows so the ASL retries this item (and only it).
// A permanent failure is rethrown as is: the ASL catches it and record-line-item-failure marks the item Failed.
// Without the header's facts (an execution started before they were passed) the move reads the header first.

import type { LineItemStatus, TransferLineItem } from '#domain/model.ts';
import { recordLineItemMoved, recordLineItemMoveRetried } from '#shared/observability/transfer-metrics.ts';
import { WORKFLOW_ERRORS, WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';
import type { LineItemChange } from './ports.ts';
import type { MoveFacts } from './start-moving.ts';
import { LineItemStatusConflictError, NotFoundError, StorageError } from './storage-errors.ts';
import { PermanentMoveError, type SubscriptionMover, TransientMoveError } from './subscription-mover.ts';
import type { LineItemKey } from './transfer-facts.ts';
import { namedError, transferNotFound } from './workflow-errors.ts';

export interface MoveLineItemDependencies extends UseCaseDependenciesWith<'transfers'> {
  mover: SubscriptionMover;
}

export interface MoveLineItemInput extends LineItemKey {
  /** From StartMoving (through the Map); read from the header when absent. */
  move?: MoveFacts;
}

export interface MoveLineItemOutput {
  customerId: string;
  transferId: string;
  lineItemId: string;
  subscriptionId?: string;
  status: LineItemStatus;
  /** The subscription had already been moved by this transfer (a retry after a crash). */
  alreadyMoved: boolean;
  /** Nothing was attempted: the item was already Complete or Failed. */
  alreadySettled: boolean;
  attempts?: number;
}

const MOVABLE: readonly LineItemStatus[] = ['Pending', 'InProgress'];

function isTransient(error: unknown): boolean {
  return (
    error instanceof TransientMoveError ||
    (error instanceof StorageError && error.retryable) ||
    (error instanceof Error &&
      (error.name === WORKFLOW_ERRORS.TransientMove || error.name === WORKFLOW_ERRORS.TransientStorage))
  );
}

function errorCode(error: unknown): string {
  if (error instanceof TransientMoveError || error instanceof PermanentMoveError) return error.code;
  if (error instanceof StorageError && error.retryable) return WORKFLOW_ERRORS.TransientStorage;
  return error instanceof Error ? error.name : 'Error';
}

/** The header's facts a move needs, read only when the workflow did not pass them. */
async function readMoveFacts(
  storage: MoveLineItemDependencies['storage'],
  input: LineItemKey,
): Promise<MoveFacts> {
  const { customerId, transferId } = input;
  const header = await storage.transfers.getHeader(customerId, transferId);
  if (!header) throw transferNotFound(customerId, transferId);
  // Once finalised every item is settled: a late duplicate falls through to the conditional write below, which
  // refuses and answers alreadySettled. Before InProgress (or after cancel/expiry) nothing may move.
  if (
    header.status !== 'InProgress' &&
    header.status !== 'Complete' &&
    header.status !== 'CompletedWithErrors'
  ) {
    throw namedError(
      WORKFLOW_FAULTS.TransferNotInProgress,
      `Transfer ${transferId} is ${header.status}; line items move only while it is InProgress.`,
    );
  }
  return {
    fromTenantId: header.sourcePartnerTenantId,
    toTenantId: header.targetPartnerTenantId,
    lineItemSet: header.lineItemSet,
  };
}

export async function moveLineItem(
  { storage, now, mover }: MoveLineItemDependencies,
  input: MoveLineItemInput,
): Promise<MoveLineItemOutput> {
  const { customerId, transferId, lineItemId } = input;
  const base = { customerId, transferId, lineItemId };
  const facts = input.move ?? (await readMoveFacts(storage, input));

  const change = (lineItemChange: LineItemChange, statusIn: readonly LineItemStatus[] = MOVABLE) =>
    storage.transfers.updateLineItem(customerId, transferId, lineItemId, lineItemChange, {
      statusIn,
      lineItemSet: facts.lineItemSet,
    });

  let item: TransferLineItem;
  try {
    item = await change({ status: 'InProgress', incrementAttempts: true });
  } catch (error) {
    if (error instanceof LineItemStatusConflictError) {
      return { ...base, status: error.currentStatus, alreadyMoved: false, alreadySettled: true };
    }
    if (error instanceof NotFoundError) {
      throw new PermanentMoveError(`Transfer ${transferId} has no line item ${lineItemId}.`, {
        code: 'LineItemNotFound',
      });
    }
    throw error;
  }

  let alreadyMoved: boolean;
  try {
    ({ alreadyMoved } = await mover.move({
      customerId,
      subscriptionId: item.subscriptionId,
      transferId,
      fromTenantId: facts.fromTenantId,
      toTenantId: facts.toTenantId,
      ...(item.partnerIdOnRecord === undefined ? {} : { partnerIdOnRecord: item.partnerIdOnRecord }),
      attempt: item.attempts,
    }));
  } catch (error) {
    if (isTransient(error)) {
      recordLineItemMoveRetried();
      const description = error instanceof Error ? error.message : String(error);
      // Best effort: the retry matters more than the note, so a failure to record it never hides the move error.
      await change({ transferError: { code: errorCode(error), description } }).catch(() => undefined);
    }
    throw error;
  }

  // The subscription moved: that is the truth, even if a late duplicate had marked the item Failed meanwhile.
  let completed: TransferLineItem;
  try {
    completed = await change(
      { status: 'Complete', completedTime: now().toISOString(), transferError: null },
      ['Pending', 'InProgress', 'Failed'],
    );
  } catch (error) {
    if (!(error instanceof LineItemStatusConflictError)) throw error;
    // Complete already (a concurrent duplicate finished first): nothing more to do.
    return {
      ...base,
      subscriptionId: item.subscriptionId,
      status: 'Complete',
      alreadyMoved,
      alreadySettled: true,
    };
  }
  recordLineItemMoved();
  return {
    ...base,
    subscriptionId: item.subscriptionId,
    status: completed.status,
    alreadyMoved,
    alreadySettled: false,
    attempts: completed.attempts,
  };
}
