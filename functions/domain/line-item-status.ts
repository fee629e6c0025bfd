// One line item's move: Pending -> InProgress -> Complete | Failed (Pending may settle directly). Complete and
// Failed are final. Replays of the same outcome are accepted unchanged, because workflow tasks may run twice.

import { fail, ok, type Result } from './errors.ts';
import type { LineItemStatus, TransferLineItem } from './model.ts';

export interface LineItemError {
  code: string;
  description: string;
}

export type LineItemEvent =
  | { type: 'AttemptStarted' }
  | { type: 'Moved' }
  /** permanent: the item is given up (Failed); otherwise it stays InProgress and keeps the error as its last one. */
  | { type: 'Failed'; error: LineItemError; permanent: boolean };

export function isLineItemSettled(status: LineItemStatus): boolean {
  return status === 'Complete' || status === 'Failed';
}

function illegal(item: TransferLineItem, event: LineItemEvent): Result<TransferLineItem> {
  return fail('IllegalTransition', `Line item ${item.id} is ${item.status}; it cannot take "${event.type}".`);
}

/** Returns the same object when the event changes nothing (an idempotent replay). */
export function applyLineItemEvent(
  item: TransferLineItem,
  event: LineItemEvent,
  now: Date,
): Result<TransferLineItem> {
  // Settling means at least one attempt was made, even if the task did not report its start.
  const attempted = Math.max(item.attempts, 1);
  switch (event.type) {
    case 'AttemptStarted':
      if (isLineItemSettled(item.status)) return illegal(item, event);
      return ok({ ...item, status: 'InProgress', attempts: item.attempts + 1 });
    case 'Moved': {
      if (item.status === 'Complete') return ok(item);
      if (item.status === 'Failed') return illegal(item, event);
      const { transferError: _lastError, ...rest } = item;
      return ok({ ...rest, status: 'Complete', attempts: attempted, completedTime: now.toISOString() });
    }
    case 'Failed':
      if (item.status === 'Failed' && event.permanent) return ok(item);
      if (isLineItemSettled(item.status)) return illegal(item, event);
      return ok({
        ...item,
        status: event.permanent ? 'Failed' : 'InProgress',
        attempts: attempted,
        transferError: { code: event.error.code, description: event.error.description },
      });
  }
}
