// The embedded local cloud as the workflow and cost benchmarks need it: startLocalCloud (DynamoDB, SES, API
// stand-in, authorizer, sandbox) plus a second embedded Step Functions endpoint whose Lambda invoker the benchmark
// wraps, to time every task invocation and to add a simulated latency to each line-item move. Handlers are pointed at
// it (and, for cost, at a DynamoDB capacity proxy) through the same AWS_ENDPOINT_URL_* and STATE_MACHINE_ARN
// variables before any handler is loaded, so they run unchanged. The local cloud's own Step Functions endpoint stays
// idle.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { SandboxUser } from '#domain/model.ts';
import {
  ephemeralLocalCloudOptions,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  LOCAL_STATE_MACHINE_NAME,
  type LocalCloud,
  startLocalCloud,
} from '#local/local-cloud.ts';
import { type StepFunctionsServer, startStepFunctionsServer } from '#local/stepfunctions/index.ts';
import {
  createWorkflowInvoker,
  localFunctionName,
  localPlaceholderValues,
} from '#local/workflow-functions.ts';
import {
  type AslDefinition,
  loadTransferDefinition,
  substitutePlaceholders,
  type TransferWorkflowSettings,
} from '#statemachines/transfer-definition.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import { type AwsCallRecorder, createAwsCallRecorder, type RecordedAwsCall } from './aws-call-trace.ts';
import { type CapacityProxy, startCapacityProxy } from './capacity-proxy.ts';

export interface TaskInvocation {
  /** WORKFLOW_TASKS id. */
  taskId: string;
  transferId: string | undefined;
  /** When Step Functions invoked it (performance.now()). */
  invokedAt: number;
  /** The simulated move latency waited before the handler ran (0 for other tasks). */
  simulatedLatencyMs: number;
  /** The handler alone: what Lambda would bill. */
  durationMs: number;
  endedAt: number;
  failed: boolean;
  /** The AWS calls the handler made, with their bodies (moves only, while setRecordMoveCalls is on). */
  awsCalls?: RecordedAwsCall[];
}

export interface BenchCloud {
  cloud: LocalCloud;
  stepfunctions: StepFunctionsServer;
  stateMachineArn: string;
  definition: AslDefinition;
  /** A client of the benchmark's Step Functions endpoint (GetExecutionHistory...). */
  sfn: SFNClient;
  capacity: CapacityProxy | undefined;
  invocations: TaskInvocation[];
  /** Every line-item move takes this much longer (ms), as if the subscription move itself were slower. */
  setMoveLatencyMs(ms: number): void;
  /** From now on, record every move's AWS calls with their bodies (TaskInvocation.awsCalls); off by default. */
  setRecordMoveCalls(on: boolean): void;
  /** Resolves when a task invocation matching `predicate` has finished (including ones already finished). */
  waitForInvocation(
    predicate: (invocation: TaskInvocation) => boolean,
    timeoutMs: number,
  ): Promise<TaskInvocation>;
  tokenFor(user: SandboxUser): Promise<string>;
  close(): Promise<void>;
}

export interface BenchCloudOptions {
  workflow: TransferWorkflowSettings;
  /** Retry pauses in ms instead of the ASL's (0 for the cost benchmark's worst case). */
  retryIntervalOverrideMs?: number;
  /** Count DynamoDB request units through a proxy (cost benchmark). */
  countCapacity?: boolean;
}

const MOVE_TASK_ID = 'moveLineItem';

const transferIdOf = (payload: unknown): string | undefined => {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const id = (payload as { transferId?: unknown }).transferId;
  return typeof id === 'string' ? id : undefined;
};

export async function startBenchCloud(options: BenchCloudOptions): Promise<BenchCloud> {
  const home = await mkdtemp(join(tmpdir(), 'partner-transfers-bench-'));
  const cloud = await startLocalCloud({
    ...ephemeralLocalCloudOptions(join(home, 'signing-key.json')),
    workflow: options.workflow,
  });

  const invocations: TaskInvocation[] = [];
  const waiters = new Set<{
    predicate: (invocation: TaskInvocation) => boolean;
    resolve: (i: TaskInvocation) => void;
  }>();
  let moveLatencyMs = 0;
  const inner = createWorkflowInvoker();
  // Created on first use: its diagnostics-channel listeners would otherwise sit on every request of every run.
  let recorder: AwsCallRecorder | undefined;
  let recordMoveCalls = false;
  const taskByName = new Map(WORKFLOW_TASKS.map((task) => [localFunctionName(task), task.id]));
  const invokeLambda = async (functionName: string, payload: unknown): Promise<unknown> => {
    const taskId = taskByName.get(functionName.split(':').pop() ?? functionName) ?? functionName;
    const invokedAt = performance.now();
    const simulatedLatencyMs = taskId === MOVE_TASK_ID ? moveLatencyMs : 0;
    if (simulatedLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, simulatedLatencyMs));
    const startedAt = performance.now();
    let failed = false;
    let awsCalls: RecordedAwsCall[] | undefined;
    try {
      if (!recorder || !recordMoveCalls || taskId !== MOVE_TASK_ID)
        return await inner.invoke(functionName, payload);
      const recorded = await recorder.within(() => inner.invoke(functionName, payload));
      awsCalls = recorded.calls;
      return recorded.result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const endedAt = performance.now();
      const invocation: TaskInvocation = {
        taskId,
        transferId: transferIdOf(payload),
        invokedAt,
        simulatedLatencyMs,
        durationMs: endedAt - startedAt,
        endedAt,
        failed,
        ...(awsCalls ? { awsCalls } : {}),
      };
      invocations.push(invocation);
      for (const waiter of waiters) {
        if (waiter.predicate(invocation)) {
          waiters.delete(waiter);
          waiter.resolve(invocation);
        }
      }
    }
  };

  const stepfunctions = await startStepFunctionsServer({
    host: '127.0.0.1',
    port: 0,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    invokeLambda,
    ...(options.retryIntervalOverrideMs === undefined
      ? {}
      : { retryIntervalOverrideMs: options.retryIntervalOverrideMs }),
  });
  const definition = substitutePlaceholders(
    loadTransferDefinition(options.workflow),
    localPlaceholderValues(LOCAL_REGION, LOCAL_ACCOUNT_ID),
  );
  const stateMachineArn = stepfunctions.createStateMachine(LOCAL_STATE_MACHINE_NAME, definition);
  const capacity = options.countCapacity ? await startCapacityProxy(cloud.urls.dynamodb) : undefined;
  // No handler has been loaded yet in this process: from now on they all read these.
  process.env.AWS_ENDPOINT_URL_SFN = stepfunctions.endpoint;
  process.env.STATE_MACHINE_ARN = stateMachineArn;
  if (capacity) process.env.AWS_ENDPOINT_URL_DYNAMODB = capacity.url;
  const sfn = new SFNClient({ endpoint: stepfunctions.endpoint, region: LOCAL_REGION });

  return {
    cloud,
    stepfunctions,
    stateMachineArn,
    definition,
    sfn,
    capacity,
    invocations,
    setMoveLatencyMs: (ms) => {
      moveLatencyMs = ms;
    },
    setRecordMoveCalls: (on) => {
      if (on) recorder ??= createAwsCallRecorder(cloud.urls);
      recordMoveCalls = on;
    },
    waitForInvocation: (predicate, timeoutMs) => {
      const done = invocations.find(predicate);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (invocation: TaskInvocation) => {
            clearTimeout(timer);
            resolve(invocation);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching task invocation within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    tokenFor: (user) =>
      cloud.identity.signToken({ tenantId: user.tenantId, userId: user.userId, roles: [user.role] }),
    async close() {
      // Workflows still running when the emulators close fail loudly; nothing of that matters any more.
      process.on('uncaughtException', () => undefined);
      process.on('unhandledRejection', () => undefined);
      sfn.destroy();
      await stepfunctions.close().catch(() => undefined);
      await capacity?.close();
      recorder?.close();
      await Promise.race([cloud.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await rm(home, { recursive: true, force: true });
    },
  };
}
