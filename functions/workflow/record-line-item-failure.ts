// RecordLineItemFailure: the ASL caught a move that failed for good; turns the Catch's Error and Cause into the line
// item's error and records it (application/record-line-item-failure.ts).

import { recordLineItemFailure } from '#application/record-line-item-failure.ts';
import * as z from '#shared/zod.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { LINE_ITEM_TASK_INPUT } from './task-inputs.ts';

export const RECORD_LINE_ITEM_FAILURE_INPUT = z.extend(LINE_ITEM_TASK_INPUT, {
  error: z.nullish(z.string().check(z.maxLength(256))),
  cause: z.nullish(z.string()),
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

export const handler = defineWorkflowTask('recordLineItemFailure', RECORD_LINE_ITEM_FAILURE_INPUT, (input) =>
  recordLineItemFailure(taskDependencies(), {
    customerId: input.customerId,
    transferId: input.transferId,
    lineItemId: input.lineItemId,
    error: { code: input.error || 'MoveFailed', description: failureDescription(input.error, input.cause) },
  }),
);
