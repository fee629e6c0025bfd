// A task that finds no transfer cannot do anything useful: the execution fails with this name.
import { WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import { namedError } from './task-handler.ts';

export function transferNotFound(customerId: string, transferId: string): Error {
  return namedError(
    WORKFLOW_FAULTS.TransferNotFound,
    `Transfer ${transferId} of customer ${customerId} does not exist.`,
  );
}
