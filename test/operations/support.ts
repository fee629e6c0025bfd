// Breaking a transfer's consistency on purpose, the ways production can: an execution stopped or never started, a
// task that crashed half-way through a move, windows that passed with nobody watching. And the operations
// dependencies against a test cloud, with a clock far enough ahead that the reconciler's grace period has passed.
import { execFile } from 'node:child_process';
import { type SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { createWorkflowExecutions } from '#adapters/workflow-executions.ts';
import type { Storage } from '#application/ports.ts';
import { LOCAL_TABLE_NAME } from '#local/local-cloud.ts';
import { RECONCILER_FUNCTION, runAsFunction } from '#local/running-function.ts';
import { type ReconcileReport, reconcile } from '#operations/reconcile.ts';
import type { OperationsDependencies } from '#operations/repair-transfer.ts';
import { CLI_BIN } from '#test/cli/run-cli.ts';
import type { TestCloud } from '#test/support/local-cloud.ts';
import {
  acceptanceToken,
  executionArnOf,
  finishedExecution,
  type TransferFixture,
} from '#test/workflow/support.ts';

export const TEN_MINUTES_MS = 10 * 60_000;

export function operationsDependencies(
  cloud: TestCloud,
  client: SFNClient,
  aheadMs = TEN_MINUTES_MS,
): OperationsDependencies {
  return {
    storage: cloud.storage,
    now: () => new Date(Date.now() + aheadMs),
    executions: createWorkflowExecutions(cloud.stateMachineArn, client),
    workflow: createTransferWorkflow(cloud.stateMachineArn, client),
  };
}

/**
 * One reconciler run as the reconciler function makes it (the handler runs `reconcile` with the same dependencies
 * from its environment), so the IAM simulation attributes its AWS calls to the reconciler's role.
 */
export function runReconciler(deps: OperationsDependencies): Promise<ReconcileReport> {
  return runAsFunction(RECONCILER_FUNCTION, () => reconcile(deps));
}

/** Starts the transfer's first execution and returns once it waits for acceptance (its token stored). */
export async function startWorkflowUntilWaiting(
  cloud: TestCloud,
  client: SFNClient,
  { transfer }: TransferFixture,
) {
  await createTransferWorkflow(cloud.stateMachineArn, client).start({
    customerId: transfer.customerTenantId,
    transferId: transfer.id,
  });
  await acceptanceToken(cloud.storage, transfer);
}

/** Starts the transfer's first execution, waits until it waits for acceptance, then stops it (an operator, a bug). */
export async function startAndStopWorkflow(cloud: TestCloud, client: SFNClient, fixture: TransferFixture) {
  const { transfer } = fixture;
  await startWorkflowUntilWaiting(cloud, client, fixture);
  await client.send(new StopExecutionCommand({ executionArn: executionArnOf(transfer.id), cause: 'test' }));
  await finishedExecution(client, executionArnOf(transfer.id));
}

/** Active -> Accepted -> InProgress as the API and start-moving would write it, accepted at `acceptedTime`. */
/** What a submit that died between its status change and resuming the workflow leaves: Accepted, nothing more. */
export async function markAccepted(storage: Storage, { transfer }: TransferFixture, acceptedTime: Date) {
  const at = acceptedTime.toISOString();
  await storage.transfers.changeStatus(transfer.customerTenantId, transfer.id, {
    from: ['Active'],
    to: 'Accepted',
    set: { acceptedTime: at, lastModifiedTime: at, lastModifiedUser: 'source-admin' },
  });
}

export async function markInProgress(storage: Storage, fixture: TransferFixture, acceptedTime: Date) {
  const at = acceptedTime.toISOString();
  const { transfer } = fixture;
  await markAccepted(storage, fixture, acceptedTime);
  await storage.transfers.changeStatus(transfer.customerTenantId, transfer.id, {
    from: ['Accepted'],
    to: 'InProgress',
    set: { lastModifiedTime: at, lastModifiedUser: 'system' },
  });
}

/** What a move task that crashed after its first write leaves: the item InProgress, one attempt counted. */
export async function leaveLineItemInProgress(
  storage: Storage,
  { transfer }: TransferFixture,
  lineItemId: string,
) {
  await storage.transfers.updateLineItem(transfer.customerTenantId, transfer.id, lineItemId, {
    status: 'InProgress',
    incrementAttempts: true,
  });
}

/** The transfer's entries in one partner's audit log (the target's unless said), as `operation[:repair]`. */
export async function auditOperations(
  storage: Storage,
  { transfer, source, target }: TransferFixture,
  partner: 'source' | 'target' = 'target',
) {
  const tenantId = (partner === 'source' ? source : target).tenantId;
  const page = await storage.audit.list(tenantId, { transferId: transfer.id, limit: 100 });
  return page.items.map(
    (record) => `${record.operation}${record.details?.repair ? `:${record.details.repair}` : ''}`,
  );
}

// Each ops command is a fresh Node process that compiles TypeScript and loads the AWS SDK: seconds each when busy.
export const SUBPROCESS_BUDGET_MS = 240_000;

/** `partner-transfers ops …` as an operator runs it: AWS-style configuration pointing at the cloud, no partner token. */
export function runOps(
  cloud: TestCloud,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    TABLE_NAME: LOCAL_TABLE_NAME,
    STATE_MACHINE_ARN: cloud.stateMachineArn,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: cloud.urls.dynamodb,
    AWS_ENDPOINT_URL_SFN: cloud.urls.stepfunctions,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_BIN, 'ops', ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
