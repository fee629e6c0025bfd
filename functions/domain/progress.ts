// "n of m moved": what the transfer record and the API show while line items move.

import type { Transfer } from './model.ts';

export interface TransferProgress {
  moved: number;
  failed: number;
  total: number;
}

export function transferProgress(transfer: Pick<Transfer, 'lineItems'>): TransferProgress {
  let moved = 0;
  let failed = 0;
  for (const item of transfer.lineItems) {
    if (item.status === 'Complete') moved += 1;
    else if (item.status === 'Failed') failed += 1;
  }
  return { moved, failed, total: transfer.lineItems.length };
}

/**
 * The progress of a transfer at the moment it is accepted, from the number of its line items alone: nothing moved or
 * failed yet, because line items are set Pending and move only once the transfer is InProgress (lifecycle.ts).
 */
export function progressAtAcceptance(lineItemCount: number): TransferProgress {
  return { moved: 0, failed: 0, total: lineItemCount };
}
