// Maps the ASL's function ARNs to the workflow task handlers, invoked in process like Lambda would invoke them.

import type { Context } from 'aws-lambda';
import { inProcessLambdaContext } from '#shared/in-process-lambda-context.ts';
import { WORKFLOW_TASKS, type WorkflowTaskDefinition } from '#workflow/tasks.ts';
import { importHandler } from './handler-modules.ts';
import { runAsFunction } from './running-function.ts';

type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;

export const localFunctionName = (task: WorkflowTaskDefinition) => `partner-transfers-${task.id}`;

export const localFunctionArn = (task: WorkflowTaskDefinition, region: string, accountId: string) =>
  `arn:aws:lambda:${region}:${accountId}:function:${localFunctionName(task)}`;

/** The ASL placeholder values for the local engine: each task's local function ARN. */
export function localPlaceholderValues(region: string, accountId: string): Record<string, string> {
  return Object.fromEntries(
    WORKFLOW_TASKS.map((task) => [task.placeholder, localFunctionArn(task, region, accountId)]),
  );
}

export interface WorkflowInvoker {
  invoke(functionName: string, payload: unknown): Promise<unknown>;
  /** Resolves once no task function runs any more (they keep running after their execution is stopped). */
  drain(): Promise<void>;
}

/** Resolves a function name or ARN to its task and invokes the handler; errors keep their name (Lambda errorType). */
export function createWorkflowInvoker(): WorkflowInvoker {
  const handlers = new Map<string, Promise<TaskHandler>>();
  const running = new Set<Promise<unknown>>();
  const invokeTask = async (functionName: string, payload: unknown) => {
    const name = functionName.split(':').pop() ?? functionName;
    const task = WORKFLOW_TASKS.find((candidate) => localFunctionName(candidate) === name);
    if (!task) {
      const error = new Error(`Function not found: ${functionName}`);
      error.name = 'Lambda.ResourceNotFoundException';
      throw error;
    }
    let handler = handlers.get(task.id);
    if (!handler) {
      handler = importHandler<TaskHandler>(task.entry);
      handlers.set(task.id, handler);
    }
    const invoke = await handler;
    return runAsFunction({ kind: 'task', id: task.id }, async () =>
      invoke(payload, inProcessLambdaContext(localFunctionName(task), 60_000)),
    );
  };
  return {
    invoke(functionName, payload) {
      const invocation = invokeTask(functionName, payload);
      running.add(invocation);
      const forget = () => running.delete(invocation);
      invocation.then(forget, forget);
      return invocation;
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
