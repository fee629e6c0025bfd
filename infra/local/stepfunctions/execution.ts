// One Step Functions execution: runs the prepared definition on aws-local-stepfunctions in the background, invokes
// Lambda tasks through the LocalLambdaInvoker, hands out task tokens to `.waitForTaskToken` tasks, runs the items of
// a DISTRIBUTED Map as child executions (one Map Run per entry) and records the history in AWS's event shape.
import '#local/polyfills.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExecutionStatus, HistoryEventType } from '@aws-sdk/client-sfn';
import { ExecutionError, type RunOptions, type StateMachine } from 'aws-local-stepfunctions';
import {
  ENGINE_MAX_TIMEOUT_SECONDS,
  type MapStateSpec,
  type PreparedDefinition,
  type PreparedDistributedMap,
  type TaskStateSpec,
  WRAPPED_INPUT_FIELD,
  WRAPPED_TIMEOUT_FIELD,
} from './definition.ts';
import type { ChildTaskInput } from './distributed-map.ts';
import { ExecutionHistory } from './history.ts';
import type { LocalMapRun } from './map-runs.ts';
import { readReferencePath } from './reference-path.ts';
import type { TaskTokenRegistry } from './task-tokens.ts';

/**
 * Runs a Lambda function for a Task state. `functionName` is what the ASL names (a function ARN, or the
 * `FunctionName` of `lambda:invoke`). To fail the task, throw an Error whose `name` is the Lambda error type (e.g.
 * 'TransientMoveError'): ASL Retry/Catch match that name.
 */
export type LocalLambdaInvoker = (functionName: string, payload: unknown) => Promise<unknown>;

export interface StepFunctionsLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ExecutionEnvironment {
  region: string;
  invokeLambda: LocalLambdaInvoker;
  tokens: TaskTokenRegistry;
  logger: StepFunctionsLogger;
  /** When set, every Retry pauses exactly this many ms instead of IntervalSeconds/BackoffRate/... (tests). */
  retryIntervalOverrideMs: number | undefined;
  /** When set, every Wait state pauses exactly this many ms (tests). */
  waitStateOverrideMs: number | undefined;
  mapRuns: MapRunHost;
}

/** Opens Map Runs and starts their child executions; the service keeps both for the API. */
export interface MapRunHost {
  open(parent: LocalExecution, spec: PreparedDistributedMap, itemCount: number): LocalMapRun;
  startChild(run: LocalMapRun, spec: PreparedDistributedMap, input: unknown): LocalExecution;
}

export interface ExecutionInit {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  input: string;
  inputValue: unknown;
  sequence: number;
  definition: PreparedDefinition;
  /** Set on the child executions of a DISTRIBUTED Map. */
  mapRunArn?: string;
}

type EngineJson = Parameters<StateMachine['run']>[0];
type EngineRun = ReturnType<StateMachine['run']>;
type EngineEvent = EngineRun['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type StateType = Extract<EngineEvent, { type: 'StateEntered' }>['state']['type'];

/** A task failure as ASL sees it: Retry/Catch match `name`, the Catch output's Cause is `message`. */
class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/**
 * Ends the task of an execution that is over (stopped, timed out, failed elsewhere). Like the engine's own
 * States.Runtime it is neither retried nor caught, so the engine unwinds without running anything else.
 */
class ExecutionClosedError extends Error {
  override readonly name = 'States.Runtime';
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution is no longer running');
  }
}

const STATE_EVENT_TYPES: Record<StateType, { entered: HistoryEventType; exited?: HistoryEventType }> = {
  Task: { entered: 'TaskStateEntered', exited: 'TaskStateExited' },
  Parallel: { entered: 'ParallelStateEntered', exited: 'ParallelStateExited' },
  Map: { entered: 'MapStateEntered', exited: 'MapStateExited' },
  Pass: { entered: 'PassStateEntered', exited: 'PassStateExited' },
  Wait: { entered: 'WaitStateEntered', exited: 'WaitStateExited' },
  Choice: { entered: 'ChoiceStateEntered', exited: 'ChoiceStateExited' },
  Succeed: { entered: 'SucceedStateEntered', exited: 'SucceedStateExited' },
  Fail: { entered: 'FailStateEntered' },
};

const NOT_TRUNCATED = { truncated: false };
const toJsonText = (value: unknown): string => JSON.stringify(value ?? null);
/** What a value looks like after a trip through JSON (as a real Lambda's result would). */
const throughJson = (value: unknown): EngineJson => JSON.parse(toJsonText(value)) as EngineJson;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The Cause of a Lambda failure, like the Node.js runtime reports it. */
function lambdaFailure(thrown: unknown): { error: string; cause: string } {
  const error = thrown instanceof Error ? thrown.name || 'Error' : 'Error';
  const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
  const trace = thrown instanceof Error ? thrown.stack?.split('\n') : undefined;
  return { error, cause: JSON.stringify({ errorType: error, errorMessage, trace }) };
}

/** Replaces the per-execution placeholder of `$$.Task.Token` with the token of this task attempt. */
function substituteToken(value: unknown, placeholder: string, token: string): unknown {
  if (typeof value === 'string')
    return value.includes(placeholder) ? value.replaceAll(placeholder, token) : value;
  if (Array.isArray(value)) return value.map((item) => substituteToken(item, placeholder, token));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteToken(item, placeholder, token)]),
    );
  }
  return value;
}

/** setTimeout for any duration (chained below the 2^31-1 ms limit); does not keep the process alive. */
function startLongTimer(delayMs: number, onElapsed: () => void): () => void {
  const deadline = Date.now() + delayMs;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return onElapsed();
    timer = setTimeout(arm, Math.min(remaining, 2 ** 31 - 1));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * What a task attempt returns once the engine has raised States.Timeout for it: nothing, ever. Settling (even with
 * null) could win the engine's race against its own timeout timer, which fires right after the attempt's.
 */
const afterEngineTimeout = (): Promise<never> => new Promise<never>(() => undefined);

/** One run of a Task state's resource (each Retry is a new attempt). */
interface TaskAttempt {
  /** The engine raised States.Timeout for this attempt: whatever the task produces later is dropped. */
  timedOut: boolean;
  token: string | undefined;
  /** Of a top-level state: this is its n-th attempt in the execution (1 for the first). */
  number: number;
}

/** Resolves after the current turn of the event loop (I/O callbacks included). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class LocalExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly input: string;
  readonly inputValue: unknown;
  readonly sequence: number;
  readonly mapRunArn: string | undefined;
  readonly startDate = new Date();
  readonly history = new ExecutionHistory();

  status: ExecutionStatus = 'RUNNING';
  stopDate: Date | undefined;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;

  /** Settles when the execution is over and the engine has unwound. */
  readonly settled: Promise<void>;

  private readonly definition: PreparedDefinition;
  private readonly environment: ExecutionEnvironment;
  /** 16 bytes embedded in this execution's task tokens. */
  private readonly tokenExecutionId = randomBytes(16);
  /** What `$$.Task.Token` evaluates to; each waiting task gets a fresh token in its place. */
  private readonly tokenPlaceholder = `local-stepfunctions-task-token-placeholder-${randomUUID()}`;
  /** Rejects when the execution is over: every task still running gives up. */
  private readonly closed = Promise.withResolvers<never>();
  private readonly failedStates = new Set<string>();
  /** The Map Run of each DISTRIBUTED Map state entered and not yet exited. */
  private readonly openMapRuns = new Map<string, LocalMapRun>();
  /** Per top-level Task state: attempts the engine announced (StateEntered, StateRetried) and the history shows. */
  private readonly announcedAttempts = new Map<string, number>();
  /** Per top-level Task state: attempts its handler was called for. */
  private readonly startedAttempts = new Map<string, number>();
  private readonly announcementWaiters = new Set<{ state: string; attempt: number; resolve: () => void }>();
  private cancelExecutionTimeout: (() => void) | undefined;
  private abortEngine: (() => void) | undefined;

  constructor(init: ExecutionInit, environment: ExecutionEnvironment) {
    this.executionArn = init.executionArn;
    this.name = init.name;
    this.stateMachineArn = init.stateMachineArn;
    this.stateMachineName = init.stateMachineName;
    this.roleArn = init.roleArn;
    this.input = init.input;
    this.inputValue = init.inputValue;
    this.sequence = init.sequence;
    this.mapRunArn = init.mapRunArn;
    this.definition = init.definition;
    this.environment = environment;
    this.closed.promise.catch(() => undefined);
    this.settled = this.start();
  }

  /** StopExecution: ABORTED now; running tasks give up and their tokens answer TaskTimedOut from now on. */
  stop(error: string | undefined, cause: string | undefined): void {
    if (this.status !== 'RUNNING') return;
    this.abortMapRuns();
    this.record('ExecutionAborted', { error, cause });
    this.finish('ABORTED', { error, cause });
  }

  private start(): Promise<void> {
    this.record('ExecutionStarted', {
      input: this.input,
      inputDetails: NOT_TRUNCATED,
      roleArn: this.roleArn,
    });
    const { executionTimeoutSeconds } = this.definition;
    if (executionTimeoutSeconds !== undefined) {
      this.cancelExecutionTimeout = startLongTimer(executionTimeoutSeconds * 1000, () => this.timeOut());
    }
    const run = this.definition.engine.run(this.inputValue as EngineJson, this.runOptions());
    this.abortEngine = run.abort;
    const eventsRecorded = this.recordEngineEvents(run.eventLogs);
    return run.result.then(
      async (output) => {
        await eventsRecorded;
        this.succeed(output);
      },
      async (failure: unknown) => {
        await eventsRecorded;
        this.fail(failure);
      },
    );
  }

  private runOptions(): RunOptions {
    const { retryIntervalOverrideMs, waitStateOverrideMs } = this.environment;
    const { tasks, distributedMaps, retryingStateNames, waitStateNames } = this.definition;
    const taskResourceLocalHandlers: TaskHandlers = {};
    for (const task of tasks.values()) {
      taskResourceLocalHandlers[task.name] = (input) => this.runTask(task, input);
    }
    for (const spec of distributedMaps.values()) {
      taskResourceLocalHandlers[spec.childTaskName] = (input) => this.runChildExecution(spec, input);
    }
    const everyState = (names: readonly string[], ms: number | undefined) =>
      ms === undefined ? undefined : Object.fromEntries(names.map((name) => [name, ms]));
    return {
      noThrowOnAbort: true,
      overrides: {
        taskResourceLocalHandlers,
        retryIntervalOverrides: everyState(retryingStateNames, retryIntervalOverrideMs),
        waitTimeOverrides: everyState(waitStateNames, waitStateOverrideMs),
      },
      // The engine sets Execution.Input and Execution.StartTime itself.
      context: {
        Execution: { Id: this.executionArn, Name: this.name, RoleArn: this.roleArn, RedriveCount: 0 },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
        Task: { Token: this.tokenPlaceholder },
      },
    };
  }

  // ---- task states -------------------------------------------------------------------------------------------

  /**
   * The engine's handler for a Task state. Its synchronous part runs before the engine arms its own timeout, so
   * the attempt's timer, armed here with the same delay, fires first: the token is released before the engine
   * raises States.Timeout, and a late SendTaskSuccess gets TaskTimedOut.
   */
  private runTask(task: TaskStateSpec, engineInput: EngineJson): Promise<EngineJson> {
    if (this.status !== 'RUNNING') throw new ExecutionClosedError();
    const { input, timeoutSeconds } = this.unwrapTaskInput(task, engineInput);
    const number = (this.startedAttempts.get(task.name) ?? 0) + 1;
    this.startedAttempts.set(task.name, number);
    const attempt: TaskAttempt = { timedOut: false, token: undefined, number };
    const timer = setTimeout(() => {
      attempt.timedOut = true;
      if (attempt.token) this.environment.tokens.release(attempt.token);
    }, timeoutSeconds * 1000);
    return this.performTask(task, input, attempt).finally(() => clearTimeout(timer));
  }

  /** Undoes the Parameters wrapping of tasks with TimeoutSecondsPath (see definition.ts). */
  private unwrapTaskInput(
    task: TaskStateSpec,
    engineInput: EngineJson,
  ): { input: EngineJson; timeoutSeconds: number } {
    if (task.timeout.kind === 'fixed') return { input: engineInput, timeoutSeconds: task.timeout.seconds };
    const wrapper = engineInput as Record<string, EngineJson>;
    const seconds = wrapper[WRAPPED_TIMEOUT_FIELD];
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
      throw Object.assign(
        new TaskFailure('States.Runtime', `TimeoutSecondsPath of '${task.name}' is not an integer >= 1`),
        {
          isRetryable: false,
          isCatchable: false,
        },
      );
    }
    // The engine reads the value from this same object right after this handler returns: cap it there too.
    const timeoutSeconds = Math.min(seconds, ENGINE_MAX_TIMEOUT_SECONDS);
    wrapper[WRAPPED_TIMEOUT_FIELD] = timeoutSeconds;
    return { input: wrapper[WRAPPED_INPUT_FIELD] ?? null, timeoutSeconds };
  }

  private async performTask(
    task: TaskStateSpec,
    input: EngineJson,
    attempt: TaskAttempt,
  ): Promise<EngineJson> {
    // The engine's StateEntered (or StateRetried) of this attempt reaches the history before the task's own events.
    // A top-level state's attempts run one at a time, so the n-th attempt waits for exactly its announcement, no
    // longer; attempts inside Map iterations or Parallel branches run side by side and wait a turn of the event loop.
    await (task.topLevel ? this.untilClosed(this.announced(task.name, attempt.number)) : nextTurn());
    if (this.status !== 'RUNNING') throw new ExecutionClosedError();
    if (attempt.timedOut) return afterEngineTimeout();
    const { resource } = task;
    if (resource.kind === 'lambdaFunction')
      return this.invokeLambdaFunction(resource.functionArn, input, task, attempt);
    return this.invokeLambdaIntegration(resource.integration, input, task, attempt);
  }

  /** Task with a Lambda function ARN as resource: LambdaFunction* events, result = the function's result. */
  private async invokeLambdaFunction(
    functionArn: string,
    input: EngineJson,
    task: TaskStateSpec,
    attempt: TaskAttempt,
  ): Promise<EngineJson> {
    this.record('LambdaFunctionScheduled', {
      resource: functionArn,
      input: toJsonText(input),
      inputDetails: NOT_TRUNCATED,
      timeoutInSeconds: task.declaredTimeoutSeconds,
    });
    this.record('LambdaFunctionStarted');
    let result: EngineJson;
    try {
      result = throughJson(await this.untilClosed(this.environment.invokeLambda(functionArn, input)));
    } catch (thrown) {
      if (thrown instanceof ExecutionClosedError) throw thrown;
      if (attempt.timedOut) return afterEngineTimeout();
      const { error, cause } = lambdaFailure(thrown);
      this.record('LambdaFunctionFailed', { error, cause });
      throw new TaskFailure(error, cause);
    }
    if (attempt.timedOut) return afterEngineTimeout();
    this.record('LambdaFunctionSucceeded', { output: toJsonText(result), outputDetails: NOT_TRUNCATED });
    return result;
  }

  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: Task* events, result in the Lambda Invoke shape. */
  private async invokeLambdaIntegration(
    integration: 'invoke' | 'invoke.waitForTaskToken',
    input: EngineJson,
    task: TaskStateSpec,
    attempt: TaskAttempt,
  ): Promise<EngineJson> {
    const { tokens, region } = this.environment;
    const lease =
      integration === 'invoke.waitForTaskToken'
        ? tokens.issue(this.executionArn, this.tokenExecutionId)
        : undefined;
    attempt.token = lease?.token;
    const parameters = lease ? substituteToken(input, this.tokenPlaceholder, lease.token) : input;
    const taskEvent = { resourceType: 'lambda', resource: integration };
    const fail = async (error: string, cause: string): Promise<never> => {
      if (lease) tokens.release(lease.token);
      if (attempt.timedOut) return afterEngineTimeout();
      this.record('TaskFailed', { ...taskEvent, error, cause });
      throw new TaskFailure(error, cause);
    };

    this.record('TaskScheduled', {
      ...taskEvent,
      region,
      parameters: toJsonText(parameters),
      timeoutInSeconds: task.declaredTimeoutSeconds,
      heartbeatInSeconds: task.declaredHeartbeatSeconds,
    });
    this.record('TaskStarted', taskEvent);
    if (!isObject(parameters) || typeof parameters.FunctionName !== 'string') {
      return fail('States.Runtime', `The Parameters of '${task.name}' must name a FunctionName (a string)`);
    }

    let invokeResponse: EngineJson;
    try {
      const payload = await this.untilClosed(
        this.environment.invokeLambda(parameters.FunctionName, parameters.Payload ?? {}),
      );
      invokeResponse = throughJson({
        ExecutedVersion: '$LATEST',
        Payload: payload ?? null,
        SdkHttpMetadata: { HttpHeaders: {}, HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: randomUUID() },
        StatusCode: 200,
      });
    } catch (thrown) {
      if (thrown instanceof ExecutionClosedError) throw thrown;
      const { error, cause } = lambdaFailure(thrown);
      return fail(error, cause);
    }
    if (attempt.timedOut) return afterEngineTimeout();
    if (!lease) {
      this.record('TaskSucceeded', {
        ...taskEvent,
        output: toJsonText(invokeResponse),
        outputDetails: NOT_TRUNCATED,
      });
      return invokeResponse;
    }

    this.record('TaskSubmitted', {
      ...taskEvent,
      output: toJsonText(invokeResponse),
      outputDetails: NOT_TRUNCATED,
    });
    const outcome = await this.untilClosed(lease.outcome);
    switch (outcome.kind) {
      case 'success':
        this.record('TaskSucceeded', {
          ...taskEvent,
          output: toJsonText(outcome.output),
          outputDetails: NOT_TRUNCATED,
        });
        return outcome.output as EngineJson;
      case 'failure':
        return fail(outcome.error ?? '', outcome.cause ?? '');
      case 'released':
        // The execution is over, or this attempt timed out.
        if (this.status !== 'RUNNING') throw new ExecutionClosedError();
        return afterEngineTimeout();
    }
  }

  // ---- DISTRIBUTED Map ---------------------------------------------------------------------------------------

  /**
   * One item of a DISTRIBUTED Map: the first item of an entry opens its Map Run (MapRunStarted), each item runs as
   * a child execution with its own history, the last success closes the run (MapRunSucceeded). The first child that
   * does not succeed fails the run (no tolerated failures): the others are stopped and the Map state fails with
   * States.ExceedToleratedFailureThreshold, which the Map's Catch may handle.
   */
  private async runChildExecution(
    spec: PreparedDistributedMap,
    engineInput: EngineJson,
  ): Promise<EngineJson> {
    // Until this entry's Map Run is open, let the engine's MapStateEntered reach the history before MapRunStarted
    // (and the exit of an earlier entry remove that entry's run); the items after that record nothing at first.
    if (this.openMapRuns.get(spec.name)?.status !== 'RUNNING') await nextTurn();
    if (this.status !== 'RUNNING') throw new ExecutionClosedError();
    const { input, count } = engineInput as unknown as ChildTaskInput;
    let run = this.openMapRuns.get(spec.name);
    if (!run) {
      run = this.environment.mapRuns.open(this, spec, count);
      this.openMapRuns.set(spec.name, run);
      this.record('MapRunStarted', { mapRunArn: run.mapRunArn });
    }
    // An item the engine started after the run failed: the Map state has failed already.
    if (run.status !== 'RUNNING') throw new ExecutionClosedError();
    const child = this.environment.mapRuns.startChild(run, spec, input);
    await this.untilClosed(child.settled);
    if (child.status === 'SUCCEEDED') {
      if (run.complete) {
        run.close('SUCCEEDED');
        this.record('MapRunSucceeded');
      }
      return throughJson(JSON.parse(child.output ?? 'null'));
    }
    const error = 'States.ExceedToleratedFailureThreshold';
    const cause = `The Map Run failed: child execution ${child.executionArn} ended ${child.status}${child.error ? ` (${child.error})` : ''}, and no failures are tolerated`;
    if (run.status === 'RUNNING') {
      run.close('FAILED', { error, cause });
      this.record('MapRunFailed', { error, cause });
    }
    throw new TaskFailure(error, cause);
  }

  /** A DISTRIBUTED Map over no items still has its (empty) Map Run. */
  private recordEmptyMapRun(spec: PreparedDistributedMap): void {
    const run = this.environment.mapRuns.open(this, spec, 0);
    run.close('SUCCEEDED');
    this.record('MapRunStarted', { mapRunArn: run.mapRunArn });
    this.record('MapRunSucceeded');
  }

  private abortMapRuns(): void {
    for (const run of this.openMapRuns.values()) {
      if (run.status !== 'RUNNING') continue;
      run.close('ABORTED', { error: 'States.Aborted', cause: 'The parent execution is over' });
      this.record('MapRunAborted');
    }
    this.openMapRuns.clear();
  }

  private isDistributedChildTask(stateName: string): boolean {
    for (const spec of this.definition.distributedMaps.values())
      if (spec.childTaskName === stateName) return true;
    return false;
  }

  private untilClosed<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.closed.promise]);
  }

  /** Resolves once the history shows the `attempt`-th StateEntered or StateRetried of a top-level state. */
  private announced(state: string, attempt: number): Promise<void> {
    if ((this.announcedAttempts.get(state) ?? 0) >= attempt) return Promise.resolve();
    return new Promise((resolve) => this.announcementWaiters.add({ state, attempt, resolve }));
  }

  private countAnnouncement(event: EngineEvent): void {
    if (event.type !== 'StateEntered' && event.type !== 'StateRetried') return;
    const { name } = event.state;
    if (!this.definition.tasks.get(name)?.topLevel) return;
    const announced = (this.announcedAttempts.get(name) ?? 0) + 1;
    this.announcedAttempts.set(name, announced);
    for (const waiter of this.announcementWaiters) {
      if (waiter.state === name && waiter.attempt <= announced) {
        this.announcementWaiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  // ---- history -----------------------------------------------------------------------------------------------

  /** Appends to the history while the execution runs (nothing is recorded after its last event). */
  private record(type: HistoryEventType, details?: Record<string, unknown>): void {
    if (this.status === 'RUNNING') this.history.append(type, details);
  }

  private async recordEngineEvents(events: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const event of events) {
      try {
        this.recordEngineEvent(event);
      } catch (error) {
        this.environment.logger.error('could not record a Step Functions event', {
          event: event.type,
          error,
        });
      }
      this.countAnnouncement(event);
    }
  }

  /**
   * Engine events -> AWS history events. Task attempts record their own Task and LambdaFunction events; the
   * engine's ExecutionStarted/Succeeded/Failed are recorded from the run's result instead; StateRetried,
   * StateCaught and ParallelBranch* have no AWS counterpart.
   */
  private recordEngineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'StateEntered': {
        const { name, type, input } = event.state;
        if (this.isDistributedChildTask(name)) return;
        this.record(STATE_EVENT_TYPES[type].entered, {
          name,
          input: toJsonText(input),
          inputDetails: NOT_TRUNCATED,
        });
        const length =
          type === 'Map' ? this.mapLength(this.definition.mapStates.get(name), input) : undefined;
        const distributed = this.definition.distributedMaps.get(name);
        if (distributed && length === 0) this.recordEmptyMapRun(distributed);
        if (type === 'Map' && !distributed) this.record('MapStateStarted', { length });
        if (type === 'Parallel') this.record('ParallelStateStarted');
        return;
      }
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (this.isDistributedChildTask(name)) return;
        const distributed = this.openMapRuns.delete(name) || this.definition.distributedMaps.has(name);
        const failed = this.failedStates.delete(`${name}#${event.index ?? ''}`);
        if (type === 'Map' && !failed && !distributed) this.record('MapStateSucceeded');
        if (type === 'Parallel' && !failed) this.record('ParallelStateSucceeded');
        const exited = STATE_EVENT_TYPES[type].exited;
        if (exited) this.record(exited, { name, output: toJsonText(output), outputDetails: NOT_TRUNCATED });
        return;
      }
      case 'StateFailed': {
        const { name, type } = event.state;
        if (this.isDistributedChildTask(name)) return;
        this.openMapRuns.delete(name);
        if (type === 'Task' && event.Error === 'States.Timeout') this.recordTaskTimeout(name);
        if (type === 'Map' || type === 'Parallel') {
          this.failedStates.add(`${name}#${event.index ?? ''}`);
          this.record(type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
        }
        return;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        if (this.definition.distributedMaps.has(event.parentState.name)) return;
        this.record(event.type, { name: event.parentState.name, index: event.index });
        return;
      default:
        return;
    }
  }

  private recordTaskTimeout(stateName: string): void {
    const resource = this.definition.tasks.get(stateName)?.resource;
    const details = { error: 'States.Timeout' };
    if (resource?.kind === 'lambdaFunction') this.record('LambdaFunctionTimedOut', details);
    else if (resource)
      this.record('TaskTimedOut', { resourceType: 'lambda', resource: resource.integration, ...details });
  }

  private mapLength(spec: MapStateSpec | undefined, stateInput: unknown): number | undefined {
    if (!spec) return undefined;
    const effectiveInput =
      spec.inputPath === null
        ? {}
        : spec.inputPath === undefined
          ? stateInput
          : readReferencePath(spec.inputPath, stateInput);
    const items =
      spec.itemsPath === undefined ? effectiveInput : readReferencePath(spec.itemsPath, effectiveInput);
    return Array.isArray(items) ? items.length : undefined;
  }

  // ---- end of the execution ----------------------------------------------------------------------------------

  private succeed(output: EngineJson): void {
    if (this.status !== 'RUNNING') return;
    const outputText = toJsonText(output);
    this.record('ExecutionSucceeded', { output: outputText, outputDetails: NOT_TRUNCATED });
    this.finish('SUCCEEDED', { output: outputText });
  }

  private fail(failure: unknown): void {
    if (this.status !== 'RUNNING') return;
    const reason = failure instanceof ExecutionError ? failure.cause : failure;
    const error = reason instanceof Error ? reason.name : 'States.Runtime';
    const message = reason instanceof Error ? reason.message : String(reason);
    const cause = message === error ? undefined : message;
    if (!(failure instanceof ExecutionError)) {
      this.environment.logger.error('the Step Functions engine failed unexpectedly', {
        executionArn: this.executionArn,
        failure,
      });
    }
    this.record('ExecutionFailed', { error, cause });
    this.finish('FAILED', { error, cause });
  }

  private timeOut(): void {
    if (this.status !== 'RUNNING') return;
    this.abortMapRuns();
    const error = 'States.Timeout';
    const cause = `The execution ran longer than its TimeoutSeconds (${this.definition.executionTimeoutSeconds} s)`;
    this.record('ExecutionTimedOut', { error, cause });
    this.finish('TIMED_OUT', { error, cause });
  }

  private finish(
    status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>,
    result: { output?: string; error?: string | undefined; cause?: string | undefined },
  ): void {
    this.status = status;
    this.stopDate = new Date();
    this.output = result.output;
    this.error = result.error;
    this.cause = result.cause;
    this.cancelExecutionTimeout?.();
    for (const run of this.openMapRuns.values()) run.close('ABORTED');
    // Tasks still running give up first (so they do not mistake their released token for a timeout) ...
    this.closed.reject(new ExecutionClosedError());
    // ... then their tokens close, and the engine stops.
    this.environment.tokens.releaseAllOf(this.executionArn);
    if (status === 'ABORTED' || status === 'TIMED_OUT') this.abortEngine?.();
  }
}
