// The TransferWorkflow port over Step Functions: start one execution per transfer, and resume or cancel its
// acceptance wait. Step Functions calls live here only.
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
import type { ResumeOutcome, TransferWorkflow } from '#application/ports.ts';
import { WORKFLOW_ERRORS } from '#statemachines/workflow-errors.ts';

/** Execution names are unique per state machine for 90 days: each restart of a transfer's workflow gets its own. */
export function transferExecutionName(transferId: string, run = 0): string {
  return run === 0 ? transferId : `${transferId}-r${run}`;
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
