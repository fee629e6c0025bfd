// AwaitAcceptance's Lambda (.waitForTaskToken): stores the task token on the transfer, conditional on status Active,
// so submit and cancel find it. A transfer that is no longer Active (submitted or canceled before the token was
// stored, or expired) answers TransferNoLongerActive: the ASL catches it and routes by the new status.
// Idempotent: storing the same token again changes nothing; a newer wait's token replaces an older, dead one.
import * as z from 'zod';
import { TransferStatusConflictError } from '#adapters/storage-errors.ts';
import { WORKFLOW_ERRORS } from '#statemachines/workflow-errors.ts';
import { type TaskDependencies, taskDependencies } from './dependencies.ts';
import { defineWorkflowTask, namedError } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const STORE_ACCEPTANCE_TOKEN_INPUT = TRANSFER_TASK_INPUT.extend({
  taskToken: z.string().min(1).max(2048),
  acceptanceTimeoutSeconds: z.number().int().positive().optional(),
});

export async function storeAcceptanceToken(
  input: z.output<typeof STORE_ACCEPTANCE_TOKEN_INPUT>,
  { storage }: Pick<TaskDependencies, 'storage'>,
): Promise<{ stored: true }> {
  try {
    await storage.transfers.storeAcceptanceToken(input.customerId, input.transferId, input.taskToken);
  } catch (error) {
    if (error instanceof TransferStatusConflictError) {
      throw namedError(
        WORKFLOW_ERRORS.TransferNoLongerActive,
        `Transfer ${input.transferId} is ${error.currentStatus}: it no longer waits for acceptance.`,
      );
    }
    throw error;
  }
  // The token itself is never logged nor returned.
  return { stored: true };
}

export const handler = defineWorkflowTask('storeAcceptanceToken', STORE_ACCEPTANCE_TOKEN_INPUT, (input) =>
  storeAcceptanceToken(input, taskDependencies()),
);
