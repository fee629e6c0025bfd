// What operators and the reconciler ask Step Functions about one transfer's workflow: the state of its current
// execution, stopping it, and a short summary of its history. Step Functions calls live here only.
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createSfnClient, transferExecutionName } from './transfer-workflow.ts';

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

export interface ExecutionState {
  name: string;
  executionArn: string;
  status: ExecutionStatus;
  startDate?: string;
  stopDate?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionHistorySummary {
  events: number;
  /** States entered, in order, each once (the last one is where the execution is or ended). */
  statesEntered: string[];
  /** Failures seen in the history (task failures, retries that ran out, the execution's own failure). */
  failures: { type: string; error?: string; cause?: string }[];
}

export interface WorkflowExecutions {
  /** The execution of this run of the transfer's workflow, or undefined when it does not exist. */
  describe(transferId: string, run: number): Promise<ExecutionState | undefined>;
  /** Stops a running execution; resolves false when it was not running (or does not exist). */
  stop(transferId: string, run: number, cause: string): Promise<boolean>;
  history(transferId: string, run: number, maxEvents?: number): Promise<ExecutionHistorySummary | undefined>;
}

/** `arn:…:stateMachine:<name>` -> `arn:…:execution:<name>:<executionName>` (the shape Step Functions gives). */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

const FAILURE_DETAILS = [
  'executionFailedEventDetails',
  'executionAbortedEventDetails',
  'executionTimedOutEventDetails',
  'lambdaFunctionFailedEventDetails',
  'lambdaFunctionTimedOutEventDetails',
  'taskFailedEventDetails',
  'taskTimedOutEventDetails',
  'mapRunFailedEventDetails',
] as const;

function failureOf(event: HistoryEvent): ExecutionHistorySummary['failures'][number] | undefined {
  for (const key of FAILURE_DETAILS) {
    const details = event[key] as { error?: string; cause?: string } | undefined;
    if (details) {
      return {
        type: event.type ?? key,
        ...(details.error ? { error: details.error } : {}),
        ...(details.cause ? { cause: details.cause.slice(0, 300) } : {}),
      };
    }
  }
  return undefined;
}

export function createWorkflowExecutions(
  stateMachineArn: string,
  client: SFNClient = createSfnClient(),
): WorkflowExecutions {
  const arnOf = (transferId: string, run: number) =>
    executionArnOf(stateMachineArn, transferExecutionName(transferId, run));
  const notFoundAsUndefined = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  };
  return {
    describe: (transferId, run) =>
      notFoundAsUndefined(async () => {
        const output = await client.send(
          new DescribeExecutionCommand({ executionArn: arnOf(transferId, run) }),
        );
        return {
          name: output.name ?? transferExecutionName(transferId, run),
          executionArn: output.executionArn ?? arnOf(transferId, run),
          status: (output.status ?? 'RUNNING') as ExecutionStatus,
          ...(output.startDate ? { startDate: output.startDate.toISOString() } : {}),
          ...(output.stopDate ? { stopDate: output.stopDate.toISOString() } : {}),
          ...(output.error ? { error: output.error } : {}),
          ...(output.cause ? { cause: output.cause } : {}),
        };
      }),
    async stop(transferId, run, cause) {
      const state = await this.describe(transferId, run);
      if (state?.status !== 'RUNNING') return false;
      await client.send(
        new StopExecutionCommand({ executionArn: state.executionArn, error: 'StoppedByOperations', cause }),
      );
      return true;
    },
    history: (transferId, run, maxEvents = 1000) =>
      notFoundAsUndefined(async () => {
        const events: HistoryEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new GetExecutionHistoryCommand({
              executionArn: arnOf(transferId, run),
              maxResults: Math.min(1000, maxEvents - events.length),
              ...(nextToken ? { nextToken } : {}),
            }),
          );
          events.push(...(page.events ?? []));
          nextToken = page.nextToken;
        } while (nextToken && events.length < maxEvents);
        const statesEntered: string[] = [];
        for (const event of events) {
          const name = event.stateEnteredEventDetails?.name;
          if (name && statesEntered.at(-1) !== name) statesEntered.push(name);
        }
        return {
          events: events.length,
          statesEntered,
          failures: events.flatMap((event) => failureOf(event) ?? []),
        };
      }),
  };
}
