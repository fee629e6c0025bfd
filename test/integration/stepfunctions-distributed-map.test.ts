// The embedded Step Functions endpoint running a DISTRIBUTED Map, exercised only through @aws-sdk/client-sfn: each
// item is a child execution with its own history, listed by its Map Run; the parent records the Map Run, not the
// items; a failing child fails the Map Run (no failures tolerated) and stopping the parent aborts the children.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidDefinition,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ResourceNotFound,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StepFunctionsServer, startStepFunctionsServer } from '#local/stepfunctions/index.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const MACHINE = 'distributed-moves';

class TransientMoveError extends Error {
  override readonly name = 'TransientMoveError';
}
class PermanentMoveError extends Error {
  override readonly name = 'PermanentMoveError';
}

const attempts = new Map<string, number>();
const hanging: (() => void)[] = [];

/** `flaky-*` fails twice then moves, `broken-*` always fails, `hang-*` waits until the test lets it go. */
async function invokeLambda(functionName: string, payload: unknown): Promise<unknown> {
  if (functionName !== 'move') throw new Error(`no test Lambda named ${functionName}`);
  const { subscriptionId, transferId } = payload as { subscriptionId: string; transferId: string };
  const key = `${transferId}/${subscriptionId}`;
  const attempt = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, attempt);
  if (subscriptionId.startsWith('broken')) throw new PermanentMoveError(`${subscriptionId} cannot move`);
  if (subscriptionId.startsWith('flaky') && attempt <= 2) throw new TransientMoveError(`busy (${attempt})`);
  if (subscriptionId.startsWith('hang')) await new Promise<void>((resolve) => hanging.push(resolve));
  return { subscriptionId, attempts: attempt };
}

const distributedMap = (
  extra: Record<string, unknown> = {},
  processorConfig: Record<string, unknown> = {},
) => ({
  StartAt: 'MoveEach',
  States: {
    MoveEach: {
      Type: 'Map',
      Label: 'Moves',
      ItemsPath: '$.subscriptionIds',
      MaxConcurrency: 2,
      ItemSelector: { 'transferId.$': '$.transferId', 'subscriptionId.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD', ...processorConfig },
        StartAt: 'Move',
        States: {
          Move: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'move', 'Payload.$': '$' },
            ResultSelector: { 'moved.$': '$.Payload' },
            Retry: [{ ErrorEquals: ['TransientMoveError'], IntervalSeconds: 1, MaxAttempts: 5 }],
            End: true,
          },
        },
      },
      ResultPath: '$.moves',
      Catch: [
        {
          ErrorEquals: ['States.ExceedToleratedFailureThreshold'],
          ResultPath: '$.failure',
          Next: 'SomeMovesFailed',
        },
      ],
      End: true,
      ...extra,
    },
    SomeMovesFailed: { Type: 'Pass', End: true },
  },
});

let server: StepFunctionsServer;
let sfn: SFNClient;
let machineArn: string;

beforeAll(async () => {
  server = await startStepFunctionsServer({ port: 0, invokeLambda, retryIntervalOverrideMs: 0 });
  sfn = new SFNClient({
    endpoint: server.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: MACHINE,
      definition: JSON.stringify(distributedMap()),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/moves`,
    }),
  );
  machineArn = created.stateMachineArn ?? '';
});

afterAll(async () => {
  for (const release of hanging) release();
  sfn?.destroy();
  await server?.close();
});

async function finished(executionArn: string): Promise<DescribeExecutionOutput> {
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return events ?? [];
}

async function run(transferId: string, subscriptionIds: string[]) {
  const { executionArn = '' } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machineArn,
      name: transferId,
      input: JSON.stringify({ transferId, subscriptionIds }),
    }),
  );
  const execution = await finished(executionArn);
  const { mapRuns = [] } = await sfn.send(new ListMapRunsCommand({ executionArn }));
  const mapRunArn = mapRuns[0]?.mapRunArn ?? '';
  const { executions: children = [] } = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
  return { executionArn, execution, mapRuns, mapRunArn, children, events: await history(executionArn) };
}

const types = (events: readonly HistoryEvent[]) => events.map((event) => event.type);

describe('a DISTRIBUTED Map on the local engine', () => {
  it('runs every item as a child execution with its own history, listed by its Map Run', async () => {
    const { executionArn, execution, mapRuns, mapRunArn, children, events } = await run('transfer-1', [
      'plain-1',
      'flaky-1',
      'plain-2',
    ]);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}').moves).toEqual([
      { moved: { subscriptionId: 'plain-1', attempts: 1 } },
      { moved: { subscriptionId: 'flaky-1', attempts: 3 } },
      { moved: { subscriptionId: 'plain-2', attempts: 1 } },
    ]);
    expect(mapRuns).toEqual([
      expect.objectContaining({ executionArn, stateMachineArn: machineArn, mapRunArn: expect.any(String) }),
    ]);
    expect(mapRunArn).toMatch(
      new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:mapRun:${MACHINE}/Moves:[0-9a-f-]{36}$`),
    );
    const mapRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(mapRun).toMatchObject({
      executionArn,
      status: 'SUCCEEDED',
      maxConcurrency: 2,
      toleratedFailurePercentage: 0,
      executionCounts: { total: 3, succeeded: 3, failed: 0, running: 0, pending: 0, aborted: 0 },
      itemCounts: { total: 3, succeeded: 3 },
    });
    expect(mapRun.stopDate).toBeInstanceOf(Date);

    // The parent records the Map Run, nothing per item.
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]?.mapRunStartedEventDetails).toEqual({ mapRunArn });

    // Each child: its own ARN under the labelled state machine, its item as input, its own retries.
    expect(children).toHaveLength(3);
    const byItem = new Map<string, HistoryEvent[]>();
    for (const child of children) {
      expect(child).toMatchObject({
        status: 'SUCCEEDED',
        mapRunArn,
        itemCount: 1,
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${MACHINE}/Moves`,
      });
      expect(child.executionArn).toMatch(new RegExp(`:execution:${MACHINE}/Moves:[0-9a-f-]{36}$`));
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }));
      expect(described.mapRunArn).toBe(mapRunArn);
      const input = JSON.parse(described.input ?? '{}');
      expect(input.transferId).toBe('transfer-1');
      byItem.set(input.subscriptionId, await history(child.executionArn ?? ''));
    }
    expect([...byItem.keys()].sort()).toEqual(['flaky-1', 'plain-1', 'plain-2']);
    expect(types(byItem.get('plain-1') ?? [])).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(types(byItem.get('flaky-1') ?? []).filter((type) => type === 'TaskFailed')).toHaveLength(2);

    // The children are not executions of the state machine itself.
    const { executions: own = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn }),
    );
    expect(own.map((listed) => listed.executionArn)).toEqual([executionArn]);
  });

  it("keeps the parent's history the same whatever the number of items", async () => {
    const one = await run('transfer-one', ['flaky-a']);
    const many = await run(
      'transfer-many',
      Array.from({ length: 12 }, (_, index) => `flaky-${index}`),
    );
    expect(many.children).toHaveLength(12);
    expect(types(many.events)).toEqual(types(one.events));
  });

  it('fails the Map Run when a child fails: the Map state raises States.ExceedToleratedFailureThreshold', async () => {
    const { execution, mapRunArn, children, events } = await run('transfer-broken', ['plain-3', 'broken-1']);

    expect(execution.status).toBe('SUCCEEDED');
    const failure = JSON.parse(execution.output ?? '{}').failure;
    expect(failure.Error).toBe('States.ExceedToleratedFailureThreshold');
    expect(failure.Cause).toContain('FAILED (PermanentMoveError)');
    const failed = events.find((event) => event.type === 'MapRunFailed');
    expect(failed?.mapRunFailedEventDetails?.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(types(events)).not.toContain('MapRunSucceeded');
    const mapRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(mapRun.status).toBe('FAILED');
    expect(mapRun.executionCounts?.failed).toBe(1);
    const broken = children.find((child) => child.status === 'FAILED');
    const brokenHistory = await history(broken?.executionArn ?? '');
    expect(brokenHistory.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'PermanentMoveError' },
    });
  });

  it('records an empty Map Run for no items', async () => {
    const { execution, mapRunArn, children, events } = await run('transfer-empty', []);
    expect(JSON.parse(execution.output ?? '{}').moves).toEqual([]);
    expect(types(events)).toContain('MapRunSucceeded');
    expect(children).toEqual([]);
    expect((await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts?.total).toBe(0);
  });

  it('aborts the Map Run and its children when the parent is stopped', async () => {
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn,
        input: JSON.stringify({ transferId: 'transfer-stopped', subscriptionIds: ['hang-1', 'hang-2'] }),
      }),
    );
    const mapRunArn = await (async () => {
      for (;;) {
        const { mapRuns = [] } = await sfn.send(new ListMapRunsCommand({ executionArn }));
        const { executions = [] } = mapRuns[0]
          ? await sfn.send(new ListExecutionsCommand({ mapRunArn: mapRuns[0].mapRunArn }))
          : {};
        if (executions.length === 2) return mapRuns[0]?.mapRunArn ?? '';
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'OperatorStop' }));

    expect((await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).status).toBe('ABORTED');
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(executions.map((child) => child.status)).toEqual(['ABORTED', 'ABORTED']);
    expect(types(await history(executionArn)).slice(-2)).toEqual(['MapRunAborted', 'ExecutionAborted']);
  });

  it('refuses what it cannot run faithfully, and answers unknown Map Runs and bad listings clearly', async () => {
    const create = (name: string, definition: object) =>
      sfn.send(
        new CreateStateMachineCommand({
          name,
          definition: JSON.stringify(definition),
          roleArn: `arn:aws:iam::${ACCOUNT}:role/moves`,
        }),
      );
    await expect(
      create('reader', distributedMap({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject' } })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(create('tolerant', distributedMap({ ToleratedFailurePercentage: 5 }))).rejects.toThrow(
      /ToleratedFailurePercentage/,
    );
    await expect(create('express', distributedMap({}, { ExecutionType: 'EXPRESS' }))).rejects.toThrow(
      /EXPRESS/,
    );
    const unknown = `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:${MACHINE}/Moves:00000000-0000-4000-8000-000000000000`;
    await expect(sfn.send(new DescribeMapRunCommand({ mapRunArn: unknown }))).rejects.toBeInstanceOf(
      ResourceNotFound,
    );
    await expect(sfn.send(new ListExecutionsCommand({}))).rejects.toThrow(
      /either a stateMachineArn or a mapRunArn/,
    );
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, mapRunArn: unknown })),
    ).rejects.toThrow(/not both/);
  });
});
