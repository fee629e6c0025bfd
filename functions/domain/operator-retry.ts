// The one exception to "terminal states never change": an operator may retry the failed line items of a
// CompletedWithErrors transfer (`ops retry-failed`), and only within the 72 h move window that started at acceptance.
// The transfer goes back to InProgress with those items Pending; the workflow moves them and finalises it again.
// Items already moved are never touched, so nothing moves twice.
import { type DomainFailure, failure } from './errors.ts';
import type { Transfer, TransferLineItem } from './model.ts';
import { MOVE_WINDOW_MS } from './move-window.ts';

/** Items a retry takes up again: Failed ones, and Pending ones a crashed earlier retry already reset. */
export function lineItemsToRetry(transfer: Pick<Transfer, 'lineItems'>): TransferLineItem[] {
  return transfer.lineItems.filter((item) => item.status === 'Failed' || item.status === 'Pending');
}

export function retryFailedItemsRefusal(
  transfer: Pick<Transfer, 'status' | 'acceptedTime' | 'lineItems'>,
  now: Date,
): DomainFailure | undefined {
  if (transfer.status !== 'CompletedWithErrors' || lineItemsToRetry(transfer).length === 0) {
    return failure(
      'NoFailedLineItemsToRetry',
      `The transfer is ${transfer.status}; only a CompletedWithErrors transfer with failed line items can have them retried.`,
    );
  }
  const accepted = transfer.acceptedTime === undefined ? Number.NaN : Date.parse(transfer.acceptedTime);
  if (!(now.getTime() < accepted + MOVE_WINDOW_MS)) {
    return failure(
      'MoveWindowPassed',
      `The transfer was accepted at ${transfer.acceptedTime ?? 'an unknown time'}; line items move only within 72 hours of acceptance.`,
    );
  }
  return undefined;
}
