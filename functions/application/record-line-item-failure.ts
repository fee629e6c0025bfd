// Record failure: the move of one line item failed for good (a permanent error, or the transient retries ran out
// within the 72 h window). Marks only this item Failed with the error; the other items go on.
// Idempotent: the write is conditional on the item being Pending or InProgress, so recording again (or after the item
// completed) changes nothing.

import type { LineItemStatus } from '#domain/model.ts';
import { recordLineItemFailed } from '#shared/observability/transfer-metrics.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';
import { LineItemStatusConflictError } from './storage-errors.ts';
import type { LineItemKey } from './transfer-facts.ts';

export async function recordLineItemFailure(
  { storage }: Pick<UseCaseDependenciesWith<'transfers'>, 'storage'>,
  input: LineItemKey & { error: { code: string; description: string } },
): Promise<{ customerId: string; transferId: string; lineItemId: string; status: LineItemStatus }> {
  const { customerId, transferId, lineItemId } = input;
  try {
    const item = await storage.transfers.updateLineItem(
      customerId,
      transferId,
      lineItemId,
      {
        status: 'Failed',
        transferError: input.error,
      },
      { statusIn: ['Pending', 'InProgress'] },
    );
    recordLineItemFailed();
    return { customerId, transferId, lineItemId, status: item.status };
  } catch (error) {
    if (error instanceof LineItemStatusConflictError) {
      return { customerId, transferId, lineItemId, status: error.currentStatus };
    }
    throw error;
  }
}
