// RecordLineItemFailure: the ASL caught a move that failed for good; turns the Catch's Error and Cause into the line
// item's error and records it (application/record-line-item-failure.ts).

import { recordLineItemFailure } from '#application/record-line-item-failure.ts';
import { transfersFromEnvironment } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import {
  fieldsOf,
  type LineItemTaskInput,
  optionalStringField,
  parseLineItemTaskInput,
  type TaskInputParser,
} from './task-inputs.ts';

/** The Catch's Error and Cause (either may be absent or null). */
export interface RecordLineItemFailureInput extends LineItemTaskInput {
  error?: string;
  cause?: string;
}

export const parseRecordLineItemFailureInput: TaskInputParser<RecordLineItemFailureInput> = (payload) => {
  const fields = fieldsOf(payload);
  const error = optionalStringField(fields, 'error', 256);
  const cause = optionalStringField(fields, 'cause', Number.MAX_SAFE_INTEGER);
  return {
    ...parseLineItemTaskInput(payload),
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
  };
};

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

export const handler = defineWorkflowTask('recordLineItemFailure', parseRecordLineItemFailureInput, (input) =>
  recordLineItemFailure(
    { storage: { transfers: transfersFromEnvironment() } },
    {
      customerId: input.customerId,
      transferId: input.transferId,
      lineItemId: input.lineItemId,
      error: { code: input.error || 'MoveFailed', description: failureDescription(input.error, input.cause) },
    },
  ),
);
