// The transfer workflow as the API sees it: start one per transfer, and resume or cancel its acceptance wait.
// Step Functions calls live here only.
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { WORKFLOW_ERRORS } from '#statemachines/workflow-errors.ts';

export interface TransferWorkflowInput {
  customerId: string;
  transferId: string;
  /** Which run of the transfer's workflow (0: the first, started at creation; the reconciler counts restarts). */
  run?: number;
}

/** Execution names are unique per state machine for 90 days: each restart of a transfer's workflow gets its own. */
export function transferExecutionName(transferId: string, run = 0): string {
  return run === 0 ? transferId : `${transferId}-r${run}`;
}

/** How a resume attempt ended: a stale token is normal after a race and never an error for the caller. */
export type ResumeOutcome = 'resumed' | 'token-no-longer-valid';

export interface TransferWorkflow {
  /** Idempotent: the execution is named after the transfer (and run), so a retried start finds the same execution. */
  start(input: TransferWorkflowInput): Promise<void>;
  accept(taskToken: string): Promise<ResumeOutcome>;
  cancel(taskToken: string): Promise<ResumeOutcome>;
  /** Ends the acceptance wait of a transfer that is no longer Active (expired by operations): it routes by status. */
  endAcceptanceWait(taskToken: string): Promise<ResumeOutcome>;
}

const isStaleTokenError = (error: unknown) =>
  error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken;

export function createSfnClient(): SFNClient {
  return new SFNClient({
    maxAttempts: 3,
    requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 },
  });
}

export function createTransferWorkflow(
  stateMachineArn: string,
  client: SFNClient = createSfnClient(),
): TransferWorkflow {
  const resume = async (send: () => Promise<unknown>): Promise<ResumeOutcome> => {
    try {
      await send();
      return 'resumed';
    } catch (error) {
      if (isStaleTokenError(error)) return 'token-no-longer-valid';
      throw error;
    }
  };
  return {
    async start({ customerId, transferId, run }) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: transferExecutionName(transferId, run),
            input: JSON.stringify({ customerId, transferId }),
          }),
        );
      } catch (error) {
        // Same name with the same input returns the running execution; only an old finished one can get here.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    accept: (taskToken) =>
      resume(() =>
        client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ accepted: true }) })),
      ),
    cancel: (taskToken) =>
      resume(() =>
        client.send(
          new SendTaskFailureCommand({
            taskToken,
            error: WORKFLOW_ERRORS.TransferCanceled,
            cause: 'The target partner canceled the transfer.',
          }),
        ),
      ),
    endAcceptanceWait: (taskToken) =>
      resume(() =>
        client.send(
          new SendTaskFailureCommand({
            taskToken,
            error: WORKFLOW_ERRORS.TransferNoLongerActive,
            cause: 'The transfer is no longer Active.',
          }),
        ),
      ),
  };
}
