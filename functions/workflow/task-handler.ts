// The one way to write a workflow task: Powertools' middlewares (observability/instrument.ts), then validate the
// state machine's payload, run the task, and name failures so the ASL's Retry/Catch can tell them apart (Lambda
// reports a thrown error's `name` as its errorType).
//   StorageUnavailableError (or any retryable storage error) -> TransientStorageError (retried by the ASL)
//   a payload that does not fit the task's parser (task-inputs.ts) -> InvalidTaskInput (never retried)
// Everything else keeps its own name; every name is defined in statemachines/workflow-errors.ts.
import type { Context } from 'aws-lambda';
import { isStorageError } from '#application/storage-errors.ts';
import { namedError } from '#application/workflow-errors.ts';
import { inProcessLambdaContext } from '#shared/in-process-lambda-context.ts';
import { logger } from '#shared/logger.ts';
import { instrumentedMiddy } from '#shared/observability/instrument.ts';
import { isExpectedTaskFailure, WORKFLOW_ERRORS, WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import { type TaskInputParser, TaskInputProblem } from './task-inputs.ts';

/** The error as the state machine should see it. */
export function asTaskError(error: unknown): unknown {
  if (isStorageError(error) && error.retryable) {
    return namedError(WORKFLOW_ERRORS.TransientStorage, error.message, error);
  }
  return error;
}

export type WorkflowTaskHandler<Output> = (event: unknown, context?: Context) => Promise<Output>;

export function defineWorkflowTask<Input, Output>(
  taskName: string,
  parseInput: TaskInputParser<Input>,
  run: (input: Input, context: Context) => Promise<Output>,
): WorkflowTaskHandler<Output> {
  const task = async (event: unknown, context: Context): Promise<Output> => {
    let input: Input;
    try {
      input = parseInput(event);
    } catch (error) {
      if (!(error instanceof TaskInputProblem)) throw error;
      throw namedError(WORKFLOW_FAULTS.InvalidTaskInput, `${taskName}: ${error.where}: ${error.message}`);
    }
    const ids = input as { customerId?: unknown; transferId?: unknown; lineItemId?: unknown };
    const keys = {
      task: taskName,
      customerId: ids.customerId,
      transferId: ids.transferId,
      ...(ids.lineItemId === undefined ? {} : { lineItemId: ids.lineItemId }),
    };
    try {
      const output = await run(input, context);
      logger.debug('workflow task succeeded', keys);
      return output;
    } catch (error) {
      const taskError = asTaskError(error);
      // Failures the workflow expects and handles (retried, or routed by the ASL) are information, not warnings.
      const expected = taskError instanceof Error && isExpectedTaskFailure(taskError.name);
      logger[expected ? 'info' : 'warn']('workflow task failed', {
        ...keys,
        errorName: taskError instanceof Error ? taskError.name : 'Error',
        errorMessage: taskError instanceof Error ? taskError.message : String(taskError),
      });
      throw taskError;
    }
  };
  const instrumented = instrumentedMiddy<unknown, Output>().handler(task);
  // Lambda always passes a context; a test calling the handler directly may not.
  return (event, context) => instrumented(event, context ?? inProcessLambdaContext(taskName));
}

/**
 * Creates a dependency on first use and keeps it for the life of the container (like module scope on Lambda). It is
 * created again only if one of the named environment variables changed: on Lambda they never do, but a test process
 * may start one local cloud after another (each on its own ports) and import the handlers only once.
 */
export function onceFor<T>(variables: readonly string[], create: () => T): () => T {
  let cached: { key: string; value: T } | undefined;
  return () => {
    const key = JSON.stringify(variables.map((name) => process.env[name] ?? null));
    if (cached?.key !== key) cached = { key, value: create() };
    return cached.value;
  };
}
