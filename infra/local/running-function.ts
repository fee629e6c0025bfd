// Which of the stack's functions the local cloud is running right now: a route's handler, a workflow task, the
// authorizer, the reconciler, the webhook deliverer or the outbox relay, named as the route and task tables (or the
// stack, for the others) name them. Follows async work started by that invocation, so anything the handler does (an
// AWS SDK call, a log line) can be traced to the function that would make it on AWS.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RunningFunction {
  kind: 'route' | 'task' | 'authorizer' | 'reconciler' | 'deliverer' | 'relay';
  /** The route's or the task's `id` (functions/api/routes.ts, functions/workflow/tasks.ts); the kind for the others. */
  id: string;
}

export const AUTHORIZER_FUNCTION: RunningFunction = { kind: 'authorizer', id: 'authorizer' };
export const RECONCILER_FUNCTION: RunningFunction = { kind: 'reconciler', id: 'reconciler' };
export const DELIVERER_FUNCTION: RunningFunction = { kind: 'deliverer', id: 'deliverer' };
export const RELAY_FUNCTION: RunningFunction = { kind: 'relay', id: 'relay' };

const running = new AsyncLocalStorage<RunningFunction>();

export function runAsFunction<T>(fn: RunningFunction, invoke: () => Promise<T>): Promise<T> {
  return running.run(fn, invoke);
}

/** The function whose invocation this code runs in; undefined outside any (a test's own storage calls). */
export const runningFunction = (): RunningFunction | undefined => running.getStore();
