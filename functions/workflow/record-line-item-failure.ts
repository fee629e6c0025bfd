// RecordLineItemFailure: the move of one line item failed for good (a permanent error, or the transient retries ran
// out within the 72 h window). Marks only this item Failed with the error; the other items go on.
// Idempotent: the write is conditional on the item being Pending or InProgress, so recording again (or after the item
// completed) changes nothing.

import * as z from 'zod';
import { LineItemStatusConflictError } from '#adapters/storage-errors.ts';
import type { LineItemStatus } from '#domain/model.ts';
import { recordLineItemFailed } from '#shared/observability/transfer-metrics.ts';
import { type TaskDependencies, taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { LINE_ITEM_TASK_INPUT } from './task-inputs.ts';

export const RECORD_LINE_ITEM_FAILURE_INPUT = LINE_ITEM_TASK_INPUT.extend({
  error: z.string().max(256).nullish(),
  cause: z.string().nullish(),
});

const MAX_DESCRIPTION_LENGTH = 1_024;

/** The Cause of a Lambda failure is `{"errorType","errorMessage","trace"}` as JSON: keep the message. */
export function failureDescription(
  error: string | null | undefined,
  cause: string | null | undefined,
): string {
  let description = cause ?? '';
  try {
    const parsed = JSON.parse(description) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') description = parsed.errorMessage;
  } catch {
    // Not JSON: the cause is the description.
  }
  if (description.trim() === '') description = error ? `The move failed (${error}).` : 'The move failed.';
  return description.length > MAX_DESCRIPTION_LENGTH
    ? `${description.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`
    : description;
}

export async function recordLineItemFailure(
  input: z.output<typeof RECORD_LINE_ITEM_FAILURE_INPUT>,
  { storage }: Pick<TaskDependencies, 'storage'>,
): Promise<{ customerId: string; transferId: string; lineItemId: string; status: LineItemStatus }> {
  const { customerId, transferId, lineItemId } = input;
  try {
    const item = await storage.transfers.updateLineItem(
      customerId,
      transferId,
      lineItemId,
      {
        status: 'Failed',
        transferError: {
          code: input.error || 'MoveFailed',
          description: failureDescription(input.error, input.cause),
        },
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

export const handler = defineWorkflowTask('recordLineItemFailure', RECORD_LINE_ITEM_FAILURE_INPUT, (input) =>
  recordLineItemFailure(input, taskDependencies()),
);
