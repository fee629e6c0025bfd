// One whole transfer, driven through the API like two partner systems would: the target creates it, the source sets
// N line items and submits, the workflow moves every item. Returns when the workflow has finished.
import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import type { Storage } from '#application/ports.ts';
import type { Subscription } from '#domain/model.ts';
import { SANDBOX_SUBSCRIPTIONS } from '#local/sandbox.ts';
import { callApi, expectStatus } from './api-client.ts';
import type { BenchCloud, TaskInvocation } from './bench-cloud.ts';
import {
  BENCH_CUSTOMER,
  BENCH_SOURCE,
  createTransferBody,
  SOURCE_ADMIN,
  TARGET_ADMIN,
  transferPath,
  transfersPath,
} from './transfer-requests.ts';

const WORKFLOW_TIMEOUT_MS = 180_000;

/** New license-based subscriptions of the benchmark customer, billed by the source: line items to move. */
export async function seedMovableSubscriptions(storage: Storage, count: number): Promise<string[]> {
  const template = SANDBOX_SUBSCRIPTIONS.find(
    (subscription) =>
      subscription.customerId === BENCH_CUSTOMER &&
      subscription.billingPartnerTenantId === BENCH_SOURCE &&
      subscription.productType === 'OnlineServicesNCE',
  );
  if (!template)
    throw new Error('the sandbox has no license-based subscription of Woodgrove billed by Contoso');
  const ids = Array.from({ length: count }, () => randomUUID());
  const subscriptions: Subscription[] = ids.map((subscriptionId, index) => ({
    ...template,
    subscriptionId,
    friendlyName: `Benchmark seat pack ${index + 1}`,
    quantity: 1,
  }));
  for (let start = 0; start < subscriptions.length; start += 25) {
    await Promise.all(
      subscriptions.slice(start, start + 25).map((subscription) => storage.subscriptions.put(subscription)),
    );
  }
  return ids;
}

export interface TransferRun {
  transferId: string;
  executionArn: string;
  lineItems: number;
  finalStatus: string;
  executionStatus: string;
  /** Milliseconds. */
  timings: {
    create: number;
    setLineItems: number;
    /** The POST …/submit request alone. */
    submitRequest: number;
    /** From sending submit to the end of FinaliseTransfer (status Complete stored). */
    submitToComplete: number;
    submitToFirstMove: number;
    /** First move started to last move finished. */
    movePhase: number;
    lastMoveToComplete: number;
  };
  /** Task invocations of this transfer, in order. */
  invocations: TaskInvocation[];
}

/** Status, error and the last events of an execution: what a failed benchmark run reports. */
async function executionDiagnostics(bench: BenchCloud, executionArn: string): Promise<string> {
  const execution = await bench.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const history = await bench.sfn.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 8 }),
  );
  const events = (history.events ?? []).map((event) => event.type).join(' < ');
  return `${execution.status} ${execution.error ?? ''} ${execution.cause?.slice(0, 300) ?? ''}; last events: ${events}`;
}

/**
 * Polls DescribeExecution until the execution is over. Every poll is a request to the endpoint in this very process,
 * on the event loop the workflow runs on: until `finalised` settles (the measured window ends there), it polls only
 * often enough to notice an execution that failed early, then closely for the few steps after FinaliseTransfer.
 */
async function waitForExecutionEnd(
  bench: BenchCloud,
  executionArn: string,
  finalised: Promise<unknown>,
): Promise<string> {
  const deadline = Date.now() + WORKFLOW_TIMEOUT_MS;
  let finalisedYet = false;
  void finalised.finally(() => {
    finalisedYet = true;
  });
  for (;;) {
    const { status } = await bench.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? 'UNKNOWN';
    if (Date.now() > deadline) {
      const diagnostics = await executionDiagnostics(bench, executionArn);
      throw new Error(`still running after ${WORKFLOW_TIMEOUT_MS} ms: ${diagnostics}`);
    }
    const pause = new Promise((resolve) => setTimeout(resolve, finalisedYet ? 20 : 500));
    await (finalisedYet ? pause : Promise.race([pause, finalised]));
  }
}

export async function runTransfer(
  bench: BenchCloud,
  subscriptionIds: readonly string[],
  tokens: { target: string; source: string },
  options: {
    /** Runs once the line items are set, just before submit (outside every timing). */
    beforeSubmit?: (transferId: string) => Promise<void>;
  } = {},
): Promise<TransferRun> {
  const api = bench.cloud.urls.api;
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await work();
    return [result, performance.now() - started];
  };

  const [created, createMs] = await timed(() =>
    expectStatus<{ id: string }>(
      201,
      callApi(api, 'POST', transfersPath(), {
        token: tokens.target,
        body: createTransferBody(),
        headers: { 'MS-RequestId': randomUUID() },
      }),
      'create',
    ),
  );
  const transferId = created.body.id;
  const executionArn = `${bench.stateMachineArn.replace(':stateMachine:', ':execution:')}:${transferId}`;
  const ofThisTransfer = (taskId: string) => (invocation: TaskInvocation) =>
    invocation.taskId === taskId && invocation.transferId === transferId && !invocation.failed;
  // Submitting before the workflow waits would work too (it routes by the stored status); waiting keeps the
  // measured window free of the creation's own work.
  await bench
    .waitForInvocation(ofThisTransfer('storeAcceptanceToken'), WORKFLOW_TIMEOUT_MS)
    .catch(async () => {
      throw new Error(
        `the workflow never waited for acceptance: ${await executionDiagnostics(bench, executionArn)}`,
      );
    });

  const [, setLineItemsMs] = await timed(() =>
    expectStatus(
      200,
      callApi(api, 'PATCH', transferPath(transferId), {
        token: tokens.source,
        body: { lineItems: subscriptionIds.map((subscriptionId) => ({ subscriptionId })) },
        headers: { 'MS-RequestId': randomUUID() },
      }),
      `setting ${subscriptionIds.length} line items`,
    ),
  );

  await options.beforeSubmit?.(transferId);
  const finalisedInvocation = bench
    .waitForInvocation(ofThisTransfer('finaliseTransfer'), WORKFLOW_TIMEOUT_MS)
    .catch(() => undefined);
  const submitted = performance.now();
  const [, submitMs] = await timed(() =>
    expectStatus(
      202,
      callApi(api, 'POST', `${transferPath(transferId)}/submit`, {
        token: tokens.source,
        headers: { 'MS-RequestId': randomUUID() },
      }),
      'submit',
    ),
  );
  const executionStatus = await waitForExecutionEnd(bench, executionArn, finalisedInvocation);
  const finalised = bench.invocations.find(ofThisTransfer('finaliseTransfer'));
  if (!finalised) {
    throw new Error(
      `the workflow ended without FinaliseTransfer: ${await executionDiagnostics(bench, executionArn)}`,
    );
  }
  const stored = await bench.cloud.storage.transfers.get(BENCH_CUSTOMER, transferId);

  const invocations = bench.invocations.filter((invocation) => invocation.transferId === transferId);
  const moves = invocations.filter((invocation) => invocation.taskId === 'moveLineItem');
  const firstMove = Math.min(...moves.map((move) => move.invokedAt));
  const lastMove = Math.max(...moves.map((move) => move.endedAt));
  return {
    transferId,
    executionArn,
    lineItems: subscriptionIds.length,
    finalStatus: stored?.status ?? 'missing',
    executionStatus,
    timings: {
      create: createMs,
      setLineItems: setLineItemsMs,
      submitRequest: submitMs,
      submitToComplete: finalised.endedAt - submitted,
      submitToFirstMove: firstMove - submitted,
      movePhase: lastMove - firstMove,
      lastMoveToComplete: finalised.endedAt - lastMove,
    },
    invocations,
  };
}

export const benchTokens = async (bench: BenchCloud) => ({
  target: await bench.tokenFor(TARGET_ADMIN),
  source: await bench.tokenFor(SOURCE_ADMIN),
});
