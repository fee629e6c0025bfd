// The embedded Step Functions endpoint, exercised only through @aws-sdk/client-sfn over its wire protocol.
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StepFunctionsServer, startStepFunctionsServer } from '#local/stepfunctions/index.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const MOVE_FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:move-line-item`;

/** What a task Lambda received; callbacks are taken by the test in any order. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiting: { matches: (item: T) => boolean; deliver: (item: T) => void }[] = [];

  put(item: T): void {
    const waiter = this.waiting.findIndex((candidate) => candidate.matches(item));
    if (waiter >= 0) this.waiting.splice(waiter, 1)[0]?.deliver(item);
    else this.items.push(item);
  }

  take(matches: (item: T) => boolean): Promise<T> {
    const index = this.items.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.items.splice(index, 1)[0] as T);
    return new Promise((deliver) => this.waiting.push({ matches, deliver }));
  }
}

interface AcceptanceCallback {
  transferId: string;
  taskToken: string;
  executionId: string;
}

class TransientMoveError extends Error {
  override readonly name = 'TransientMoveError';
}
class PermanentMoveError extends Error {
  override readonly name = 'PermanentMoveError';
}

const acceptanceCallbacks = new Inbox<AcceptanceCallback>();
const moveAttempts = new Map<string, number>();

/** The task Lambdas of these tests, by the name the ASL gives them. */
async function invokeLambda(functionName: string, payload: unknown): Promise<unknown> {
  const event = payload as Record<string, unknown>;
  switch (functionName) {
    case 'store-acceptance-token':
      acceptanceCallbacks.put(event as unknown as AcceptanceCallback);
      return { stored: true };
    case MOVE_FUNCTION_ARN: {
      // Fails twice with a transient error, then moves the line item.
      const lineItemId = String(event.lineItemId);
      const attempt = (moveAttempts.get(lineItemId) ?? 0) + 1;
      moveAttempts.set(lineItemId, attempt);
      if (attempt <= 2) throw new TransientMoveError(`billing system busy (attempt ${attempt})`);
      return { lineItemId, status: 'Moved', attempts: attempt };
    }
    case 'move-subscription':
      if (event.subscriptionId === 'sub-perpetual')
        throw new PermanentMoveError('perpetual software is not transferable');
      return { subscriptionId: event.subscriptionId, status: 'Moved' };
    default:
      throw new Error(`no test Lambda named ${functionName}`);
  }
}

const awaitAcceptanceDefinition = {
  Comment: 'Waits for the source partner: accepted, canceled (SendTaskFailure) or expired (timeout)',
  StartAt: 'AwaitAcceptance',
  States: {
    AwaitAcceptance: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'store-acceptance-token',
        Payload: {
          'transferId.$': '$.transferId',
          'taskToken.$': '$$.Task.Token',
          'executionId.$': '$$.Execution.Id',
        },
      },
      // Read from the state input (not from the Parameters above), as AWS does.
      TimeoutSecondsPath: '$.acceptanceTimeoutSeconds',
      ResultPath: '$.acceptance',
      Catch: [
        { ErrorEquals: ['TransferCanceled'], ResultPath: '$.cancellation', Next: 'Canceled' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.expiry', Next: 'Expired' },
      ],
      Next: 'Accepted',
    },
    Accepted: { Type: 'Pass', Result: 'accepted', ResultPath: '$.outcome', End: true },
    Canceled: { Type: 'Pass', Result: 'canceled', ResultPath: '$.outcome', End: true },
    Expired: { Type: 'Pass', Result: 'expired', ResultPath: '$.outcome', End: true },
  },
};

const twoPartyApprovalDefinition = {
  StartAt: 'BothPartners',
  States: {
    BothPartners: {
      Type: 'Parallel',
      Branches: ['Source', 'Target'].map((side) => ({
        StartAt: `Await${side}`,
        States: {
          [`Await${side}`]: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: {
              FunctionName: 'store-acceptance-token',
              Payload: {
                'transferId.$': `States.Format('{}-${side}', $.transferId)`,
                'taskToken.$': '$$.Task.Token',
              },
            },
            TimeoutSeconds: 3600,
            End: true,
          },
        },
      })),
      End: true,
    },
  },
};

const moveLineItemDefinition = {
  StartAt: 'MoveLineItem',
  States: {
    MoveLineItem: {
      Type: 'Task',
      Resource: MOVE_FUNCTION_ARN,
      Retry: [
        {
          ErrorEquals: ['TransientMoveError'],
          IntervalSeconds: 30,
          BackoffRate: 2,
          MaxDelaySeconds: 3600,
          JitterStrategy: 'FULL',
          MaxAttempts: 5,
        },
      ],
      End: true,
    },
  },
};

const moveSubscriptionsDefinition = {
  StartAt: 'MoveEach',
  States: {
    MoveEach: {
      Type: 'Map',
      ItemsPath: '$.lineItems',
      MaxConcurrency: 2,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'MoveSubscription',
        States: {
          MoveSubscription: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'move-subscription', 'Payload.$': '$' },
            ResultSelector: { 'moved.$': '$.Payload', 'statusCode.$': '$.StatusCode' },
            Catch: [{ ErrorEquals: ['PermanentMoveError'], ResultPath: '$.error', Next: 'RecordRefusal' }],
            End: true,
          },
          RecordRefusal: {
            Type: 'Pass',
            Parameters: { 'subscriptionId.$': '$.subscriptionId', 'refusedWith.$': '$.error.Error' },
            End: true,
          },
        },
      },
      End: true,
    },
  },
};

let server: StepFunctionsServer;
let sfn: SFNClient;
let awaitAcceptanceArn: string;
let twoPartyApprovalArn: string;
let moveLineItemArn: string;
let moveSubscriptionsArn: string;

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
      name: 'await-acceptance',
      definition: JSON.stringify(awaitAcceptanceDefinition),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/transfer-workflow`,
    }),
  );
  awaitAcceptanceArn = created.stateMachineArn ?? '';
  twoPartyApprovalArn = server.createStateMachine('two-party-approval', twoPartyApprovalDefinition);
  moveLineItemArn = server.createStateMachine('move-line-item', moveLineItemDefinition);
  moveSubscriptionsArn = server.createStateMachine('move-subscriptions', moveSubscriptionsDefinition);
});

afterAll(async () => {
  sfn?.destroy();
  await server?.close();
});

async function startAcceptance(transferId: string, acceptanceTimeoutSeconds = 3600) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: awaitAcceptanceArn,
      name: transferId,
      input: JSON.stringify({ transferId, acceptanceTimeoutSeconds }),
    }),
  );
  const callback = await acceptanceCallbacks.take((item) => item.transferId === transferId);
  return { executionArn: executionArn ?? '', callback };
}

/** Polls DescribeExecution until the execution is no longer RUNNING. */
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

const parsed = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

describe('callback tasks (.waitForTaskToken)', () => {
  it('hands the Lambda a token that resumes the execution once, with the output given', async () => {
    const { executionArn, callback } = await startAcceptance('transfer-accepted');
    expect(callback.executionId).toBe(executionArn);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: callback.taskToken }));

    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: callback.taskToken,
        output: JSON.stringify({ acceptedBy: 'source-admin' }),
      }),
    );

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toMatchObject({
      outcome: 'accepted',
      acceptance: { acceptedBy: 'source-admin' },
    });
    const second = sfn.send(new SendTaskSuccessCommand({ taskToken: callback.taskToken, output: '{}' }));
    await expect(second).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(second).rejects.toMatchObject({ name: 'TaskTimedOut', $fault: 'client' });

    const events = await history(executionArn);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = events.find((event) => event.type === 'TaskScheduled')?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: REGION,
    });
    expect(parsed(scheduled?.parameters)).toMatchObject({ Payload: { taskToken: callback.taskToken } });
  });

  it('tells unknown tokens (TaskDoesNotExist) from malformed ones (InvalidToken)', async () => {
    const { executionArn, callback } = await startAcceptance('transfer-token-checks');
    const token = callback.taskToken;
    const replacement = token[10] === 'A' ? 'B' : 'A';
    const unknownToken = `${token.slice(0, 10)}${replacement}${token.slice(11)}`;

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: unknownToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    for (const garbage of ['not a token', 'c2hvcnQ', `${token}AAAA`]) {
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken: garbage, output: '{}' })),
      ).rejects.toBeInstanceOf(InvalidToken);
    }
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: 'not a token' }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);

    // None of the refused calls used the token up.
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"acceptedBy":"source-admin"}' }));
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
  });

  it('routes SendTaskFailure to the Catch on its error name, with its cause', async () => {
    const { executionArn, callback } = await startAcceptance('transfer-canceled');

    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: callback.taskToken,
        error: 'TransferCanceled',
        cause: 'target canceled',
      }),
    );

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toMatchObject({
      outcome: 'canceled',
      cancellation: { Error: 'TransferCanceled', Cause: 'target canceled' },
    });
    await expect(
      sfn.send(new SendTaskHeartbeatCommand({ taskToken: callback.taskToken })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    const failed = (await history(executionArn)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'TransferCanceled',
      cause: 'target canceled',
    });
  });

  it('raises States.Timeout after the TimeoutSecondsPath of the state input, then the token has timed out', async () => {
    const { executionArn, callback } = await startAcceptance('transfer-expired', 1);

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toMatchObject({
      outcome: 'expired',
      expiry: { Error: 'States.Timeout' },
    });
    expect((await history(executionArn)).map((event) => event.type)).toContain('TaskTimedOut');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: callback.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('gives each concurrently waiting task its own token', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: twoPartyApprovalArn,
        input: JSON.stringify({ transferId: 't-9' }),
      }),
    );
    const source = await acceptanceCallbacks.take((item) => item.transferId === 't-9-Source');
    const target = await acceptanceCallbacks.take((item) => item.transferId === 't-9-Target');
    expect(source.taskToken).not.toBe(target.taskToken);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: target.taskToken, output: '{"side":"target"}' }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: source.taskToken, output: '{"side":"source"}' }));

    const execution = await finished(executionArn ?? '');
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toEqual([{ side: 'source' }, { side: 'target' }]);
  });
});

describe('Lambda tasks', () => {
  it('retries a transient error: the history shows two failed attempts, then the success', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: moveLineItemArn,
        input: JSON.stringify({ lineItemId: 'li-1' }),
      }),
    );

    const execution = await finished(executionArn ?? '');
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toEqual({ lineItemId: 'li-1', status: 'Moved', attempts: 3 });
    const lambdaEvents = (await history(executionArn ?? '')).filter((event) =>
      event.type?.startsWith('LambdaFunction'),
    );
    expect(lambdaEvents.map((event) => event.type)).toEqual([
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
    ]);
    // Each attempt's events come after the state's entry and before its exit, whatever the retries.
    const types = (await history(executionArn ?? '')).map((event) => event.type);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled']);
    expect(types.slice(-3)).toEqual(['LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const failure = lambdaEvents[2]?.lambdaFunctionFailedEventDetails;
    expect(failure?.error).toBe('TransientMoveError');
    expect(parsed(failure?.cause)).toMatchObject({
      errorType: 'TransientMoveError',
      errorMessage: 'billing system busy (attempt 1)',
    });
    expect(lambdaEvents[0]?.lambdaFunctionScheduledEventDetails?.resource).toBe(MOVE_FUNCTION_ARN);
  });

  it('fails the execution with the error name and cause of an error nothing catches', async () => {
    moveAttempts.set('li-stuck', Number.NEGATIVE_INFINITY); // keeps failing
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: moveLineItemArn,
        input: JSON.stringify({ lineItemId: 'li-stuck' }),
      }),
    );

    const execution = await finished(executionArn ?? '');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('TransientMoveError');
    expect(parsed(execution.cause)).toMatchObject({ errorType: 'TransientMoveError' });
    const failures = (await history(executionArn ?? '')).filter(
      (event) => event.type === 'LambdaFunctionFailed',
    );
    expect(failures).toHaveLength(6); // the first attempt and MaxAttempts (5) retries
  });

  it('runs a Map over line items with lambda:invoke, catching a permanent error inside the item', async () => {
    const lineItems = [
      { subscriptionId: 'sub-1' },
      { subscriptionId: 'sub-perpetual' },
      { subscriptionId: 'sub-3' },
    ];
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: moveSubscriptionsArn,
        input: JSON.stringify({ lineItems }),
      }),
    );

    const execution = await finished(executionArn ?? '');
    expect(execution.status).toBe('SUCCEEDED');
    expect(parsed(execution.output)).toEqual([
      { moved: { subscriptionId: 'sub-1', status: 'Moved' }, statusCode: 200 },
      { subscriptionId: 'sub-perpetual', refusedWith: 'PermanentMoveError' },
      { moved: { subscriptionId: 'sub-3', status: 'Moved' }, statusCode: 200 },
    ]);
    const events = await history(executionArn ?? '');
    expect(
      events.find((event) => event.type === 'MapStateStarted')?.mapStateStartedEventDetails?.length,
    ).toBe(3);
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect(count('MapIterationStarted')).toBe(3);
    expect(count('MapIterationSucceeded')).toBe(3);
    expect(count('TaskSucceeded')).toBe(2);
    expect(count('TaskFailed')).toBe(1);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
  });
});

describe('executions', () => {
  it('is idempotent for the same name and input while running, and refuses a reused name otherwise', async () => {
    const { executionArn } = await startAcceptance('transfer-idempotent');
    const again = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: awaitAcceptanceArn,
        name: 'transfer-idempotent',
        input: JSON.stringify({ acceptanceTimeoutSeconds: 3600, transferId: 'transfer-idempotent' }),
      }),
    );
    expect(again.executionArn).toBe(executionArn);
    expect(executionArn).toBe(
      `arn:aws:states:${REGION}:${ACCOUNT}:execution:await-acceptance:transfer-idempotent`,
    );

    const differentInput = new StartExecutionCommand({
      stateMachineArn: awaitAcceptanceArn,
      name: 'transfer-idempotent',
      input: JSON.stringify({ transferId: 'someone-else', acceptanceTimeoutSeconds: 3600 }),
    });
    await expect(sfn.send(differentInput)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn }));
    const sameInputAfterStop = new StartExecutionCommand({
      stateMachineArn: awaitAcceptanceArn,
      name: 'transfer-idempotent',
      input: JSON.stringify({ transferId: 'transfer-idempotent', acceptanceTimeoutSeconds: 3600 }),
    });
    await expect(sfn.send(sameInputAfterStop)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('names every execution (a UUID by default) and checks names, inputs and ARNs', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: moveLineItemArn, input: '{"lineItemId":"li-2"}' }),
    );
    expect(started.executionArn).toMatch(/:execution:move-line-item:[0-9a-f-]{36}$/);
    expect(started.startDate).toBeInstanceOf(Date);

    const start = (request: { name?: string; input?: string; stateMachineArn?: string }) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: moveLineItemArn, ...request }));
    await expect(start({ name: 'has space' })).rejects.toBeInstanceOf(InvalidName);
    await expect(start({ name: 'x'.repeat(81) })).rejects.toBeInstanceOf(InvalidName);
    await expect(start({ input: '{"lineItemId":' })).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(start({ input: '["not","an","object"]' })).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(
      start({ stateMachineArn: server.stateMachineArn('no-such-machine') }),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(start({ stateMachineArn: 'not-an-arn' })).rejects.toBeInstanceOf(InvalidArn);
    const unknownExecution = `arn:aws:states:${REGION}:${ACCOUNT}:execution:move-line-item:never-started`;
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: unknownExecution })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: awaitAcceptanceArn })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });

  it('stops an execution: ABORTED with the given error, its token no longer answers', async () => {
    const { executionArn, callback } = await startAcceptance('transfer-stopped');

    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'OperatorStop', cause: 'stopped by the test' }),
    );

    expect(stopDate).toBeInstanceOf(Date);
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({
      status: 'ABORTED',
      error: 'OperatorStop',
      cause: 'stopped by the test',
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: callback.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    const events = await history(executionArn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'OperatorStop', cause: 'stopped by the test' },
    });
  });

  it('times out an execution that runs longer than its TimeoutSeconds', async () => {
    const machineArn = server.createStateMachine('bounded', {
      TimeoutSeconds: 1,
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn }));

    const execution = await finished(executionArn ?? '');
    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await history(executionArn ?? '')).at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('lists executions newest first, filtered by status, page by page', async () => {
    const machineArn = server.createStateMachine('list-me', {
      StartAt: 'Done',
      States: { Done: { Type: 'Succeed' } },
    });
    const succeeded: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machineArn, name }),
      );
      await finished(executionArn ?? '');
      succeeded.push(executionArn ?? '');
    }

    const firstPage = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'SUCCEEDED', maxResults: 2 }),
    );
    expect(firstPage.executions?.map((execution) => execution.name)).toEqual(['third', 'second']);
    const secondPage = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: machineArn,
        statusFilter: 'SUCCEEDED',
        nextToken: firstPage.nextToken,
      }),
    );
    expect(secondPage.executions?.map((execution) => execution.executionArn)).toEqual([succeeded[0]]);
    expect(secondPage.nextToken).toBeUndefined();
    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'RUNNING' }),
    );
    expect(running.executions).toEqual([]);
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, nextToken: 'bm90LWEtdG9rZW4' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  it('pages the history forwards and in reverse', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: moveLineItemArn,
        input: JSON.stringify({ lineItemId: 'li-paged' }),
      }),
    );
    await finished(executionArn ?? '');
    const all = await history(executionArn ?? '');
    expect(all.map((event) => event.id)).toEqual(all.map((_, index) => index + 1));
    expect(all[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0 });
    expect(all[0]?.timestamp).toBeInstanceOf(Date);

    const paged: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken }));
      expect(page.events?.length).toBeLessThanOrEqual(4);
      paged.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged).toEqual(all);

    const newestFirst = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(newestFirst.events?.map((event) => event.id)).toEqual([all.length, all.length - 1]);
    const next = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 2,
        nextToken: newestFirst.nextToken,
      }),
    );
    expect(next.events?.map((event) => event.id)).toEqual([all.length - 2, all.length - 3]);
  });
});

describe('state machines and the protocol', () => {
  it('creates, describes, lists and deletes state machines', async () => {
    const definition = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/workflow`;
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: 'short-lived', definition, roleArn }),
    );
    expect(created.stateMachineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:short-lived`);
    const again = await sfn.send(new CreateStateMachineCommand({ name: 'short-lived', definition, roleArn }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);

    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({ name: 'short-lived', type: 'STANDARD', status: 'ACTIVE', roleArn });
    expect(JSON.parse(described.definition ?? '')).toEqual(JSON.parse(definition));
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((machine) => machine.name)).toContain('short-lived');

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('refuses definitions that are not valid ASL or use resources the local engine cannot run', async () => {
    const create = (definition: unknown) =>
      sfn.send(
        new CreateStateMachineCommand({
          name: 'broken',
          definition: JSON.stringify(definition),
          roleArn: 'r',
        }),
      );
    await expect(create({ StartAt: 'Missing', States: {} })).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(
      create({
        StartAt: 'Q',
        States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } },
      }),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(
      sfn.send(new CreateStateMachineCommand({ name: 'broken', definition: '{oops', roleArn: 'r' })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
  });

  it('answers an unknown operation with a 400 UnknownOperationException', async () => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.TeleportExecution',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({
      __type: 'com.amazonaws.swf.service.v2.model#UnknownOperationException',
    });
  });

  it('aborts running executions on close', async () => {
    const other = await startStepFunctionsServer({ port: 0, invokeLambda: async () => ({}) });
    const arn = other.createStateMachine('waits', {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const client = new SFNClient({
      endpoint: other.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    await client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'long-wait' }));
    client.destroy();
    expect(other.listRunningExecutions().map((execution) => execution.name)).toEqual(['long-wait']);

    await other.close();

    expect(other.listRunningExecutions()).toEqual([]);
    expect(other.listExecutions()[0]?.status).toBe('ABORTED');
  });
});
