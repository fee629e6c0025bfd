// How a workflow use case fails in a way the state machine understands: an Error named from
// statemachines/workflow-errors.ts (Lambda reports a thrown error's `name` as its errorType, which Retry/Catch match).
import { type TaskErrorName, WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';

/** An Error with the given name: what the ASL matches in ErrorEquals. */
export function namedError(name: TaskErrorName, message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}

/** A task that finds no transfer cannot do anything useful: the execution fails with this name. */
export function transferNotFound(customerId: string, transferId: string): Error {
  return namedError(
    WORKFLOW_FAULTS.TransferNotFound,
    `Transfer ${transferId} of customer ${customerId} does not exist.`,
  );
}
