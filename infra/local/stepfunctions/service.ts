// The Step Functions service in memory: state machines, executions, Map Runs and task tokens, with one method per
// API operation taking and returning JSON 1.0 wire objects (the HTTP layer only routes). Semantics follow AWS
// Standard workflows.
import { randomUUID } from 'node:crypto';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import {
  type AccountScope,
  assertExecutionArn,
  assertMapRunArn,
  assertValidName,
  executionArn,
  mapRunArn,
  parseStateMachineArn,
  stateMachineArn,
} from './arns.ts';
import { type PreparedDefinition, type PreparedDistributedMap, prepareDefinition } from './definition.ts';
import { type StepFunctionsErrorName, StepFunctionsServiceError, validationError } from './errors.ts';
import {
  type ExecutionEnvironment,
  LocalExecution,
  type LocalLambdaInvoker,
  type MapRunHost,
  type StepFunctionsLogger,
} from './execution.ts';
import { ExecutionJournal } from './execution-journal.ts';
import { withoutExecutionData } from './history.ts';
import { LocalMapRun } from './map-runs.ts';
import { TaskTokenRegistry } from './task-tokens.ts';
import { type ValidationMemo, validatedDefinitionsFile } from './validated-definitions.ts';
import {
  decodePageToken,
  encodePageToken,
  optionalBoolean,
  optionalString,
  pageSize,
  requiredString,
  toEpochSeconds,
  type WireObject,
} from './wire.ts';

export interface LocalStepFunctionsOptions {
  /** Default us-east-1. */
  region?: string;
  /** Default 000000000000. */
  accountId?: string;
  invokeLambda: LocalLambdaInvoker;
  /** Tests: every Retry pauses exactly this many ms (0: retry at once) instead of the ASL's intervals. */
  retryIntervalOverrideMs?: number;
  /** Tests: every Wait state pauses exactly this many ms instead of its Seconds/Timestamp. */
  waitStateOverrideMs?: number;
  logger?: StepFunctionsLogger;
  /**
   * Keep the running executions in this file (the local cloud's data folder), so that `resumeJournaledExecutions`
   * starts them again after a restart, killed or not; absent: executions live in memory only.
   */
  journalFile?: string;
  /** Remember the definitions validated once in this file (the data folder), see validated-definitions.ts. */
  validatedDefinitionsFile?: string;
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate: Date | undefined;
  input: string;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** Set on the child executions of a DISTRIBUTED Map. */
  mapRunArn: string | undefined;
}

interface RegisteredStateMachine {
  arn: string;
  name: string;
  definitionText: string;
  prepared: PreparedDefinition;
  roleArn: string;
  creationDate: Date;
  sequence: number;
}

const MAX_PAYLOAD_BYTES = 262_144;
const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

const silentLogger: StepFunctionsLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** JSON text with object keys sorted, to compare two JSON documents. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** JSON.parse, refusing text that is not JSON the way AWS does: `<what>: '<the parser's message>'`. */
function parseJsonMember(text: string, errorName: StepFunctionsErrorName, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StepFunctionsServiceError(
      errorName,
      `${what}: '${error instanceof Error ? error.message : 'not JSON'}'`,
    );
  }
}

function parseExecutionInput(input: string): Record<string, unknown> {
  if (Buffer.byteLength(input, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new StepFunctionsServiceError(
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input: input is larger than 256 KiB',
    );
  }
  const parsed = parseJsonMember(input, 'InvalidExecutionInput', 'Invalid State Machine Execution Input');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StepFunctionsServiceError(
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input: the input must be a JSON object',
    );
  }
  return parsed as Record<string, unknown>;
}

/** An execution as ListExecutions lists it (DescribeExecution starts with the same members). */
function executionListItem(execution: LocalExecution): WireObject {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: toEpochSeconds(execution.startDate),
    stopDate: execution.stopDate && toEpochSeconds(execution.stopDate),
    mapRunArn: execution.mapRunArn,
    // One item per child execution (no ItemBatcher); AWS sets itemCount only for Map Run children.
    itemCount: execution.mapRunArn === undefined ? undefined : 1,
  };
}

function describeExecutionOutput(execution: LocalExecution): WireObject {
  const { itemCount: _itemCount, ...listed } = executionListItem(execution);
  return {
    ...listed,
    input: execution.input,
    inputDetails: { included: true },
    output: execution.output,
    outputDetails: execution.output === undefined ? undefined : { included: true },
    error: execution.error,
    cause: execution.cause,
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
  };
}

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly scope: AccountScope;
  private readonly stateMachines = new Map<string, RegisteredStateMachine>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly mapRuns = new Map<string, LocalMapRun>();
  private readonly tokens = new TaskTokenRegistry();
  private readonly logger: StepFunctionsLogger;
  private readonly options: LocalStepFunctionsOptions;
  private readonly journal: ExecutionJournal | undefined;
  private readonly validated: ValidationMemo | undefined;
  private sequence = 0;
  private closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    this.options = options;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.scope = { region: this.region, accountId: this.accountId };
    this.logger = options.logger ?? silentLogger;
    this.journal = options.journalFile ? new ExecutionJournal(options.journalFile) : undefined;
    this.validated = options.validatedDefinitionsFile
      ? validatedDefinitionsFile(options.validatedDefinitionsFile)
      : undefined;
  }

  /** The API operations by name (the `X-Amz-Target` suffix). */
  readonly operations: Readonly<Record<string, (request: WireObject) => WireObject>> = {
    CreateStateMachine: (request) => this.createStateMachineOperation(request),
    DescribeStateMachine: (request) => this.describeStateMachine(request),
    ListStateMachines: (request) => this.listStateMachines(request),
    DeleteStateMachine: (request) => this.deleteStateMachine(request),
    StartExecution: (request) => this.startExecution(request),
    DescribeExecution: (request) => this.describeExecution(request),
    StopExecution: (request) => this.stopExecution(request),
    ListExecutions: (request) => this.listExecutions(request),
    DescribeMapRun: (request) => this.describeMapRun(request),
    ListMapRuns: (request) => this.listMapRuns(request),
    GetExecutionHistory: (request) => this.getExecutionHistory(request),
    SendTaskSuccess: (request) => this.sendTaskSuccess(request),
    SendTaskFailure: (request) => this.sendTaskFailure(request),
    SendTaskHeartbeat: (request) => this.sendTaskHeartbeat(request),
  };

  // ---- programmatic API --------------------------------------------------------------------------------------

  stateMachineArn(name: string): string {
    return stateMachineArn(this.scope, name);
  }

  /**
   * Registers a definition (parsed ASL, placeholders already substituted) under a name and returns its ARN. An
   * existing machine of that name gets the new definition (running executions keep theirs). Throws
   * StepFunctionsServiceError InvalidName / InvalidDefinition.
   */
  createStateMachine(name: string, definition: object, options: { roleArn?: string } = {}): string {
    assertValidName(name, 'state machine');
    const definitionText = JSON.stringify(definition);
    const prepared = prepareDefinition(definition, this.definitionWarnings(name), this.validated);
    const arn = this.stateMachineArn(name);
    const existing = this.stateMachines.get(arn);
    this.stateMachines.set(arn, {
      arn,
      name,
      definitionText,
      prepared,
      roleArn:
        options.roleArn ?? existing?.roleArn ?? `arn:aws:iam::${this.accountId}:role/local-stepfunctions`,
      creationDate: existing?.creationDate ?? new Date(),
      sequence: existing?.sequence ?? ++this.sequence,
    });
    return arn;
  }

  /**
   * Starts again, from the beginning with the same name and input, every execution of this state machine that was
   * running when the last process on the journal stopped (killed or closed). Resolves how many.
   */
  resumeJournaledExecutions(stateMachineName: string): number {
    const running = this.journal?.runningOf(stateMachineName) ?? [];
    for (const entry of running) {
      this.startExecution({
        stateMachineArn: this.stateMachineArn(stateMachineName),
        name: entry.name,
        input: entry.input,
      });
    }
    return running.length;
  }

  listExecutionSummaries(
    filter: { stateMachineArn?: string; status?: ExecutionStatus } = {},
  ): ExecutionSummary[] {
    return [...this.executions.values()]
      .filter((execution) => !filter.stateMachineArn || execution.stateMachineArn === filter.stateMachineArn)
      .filter((execution) => !filter.status || execution.status === filter.status)
      .map((execution) => ({
        executionArn: execution.executionArn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate,
        stopDate: execution.stopDate,
        input: execution.input,
        output: execution.output,
        error: execution.error,
        cause: execution.cause,
        mapRunArn: execution.mapRunArn,
      }));
  }

  /** Aborts every running execution and waits until the engine has unwound (no timers are left behind). */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) {
      execution.stop('States.Runtime', 'The local Step Functions endpoint was shut down');
    }
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.settled));
  }

  private definitionWarnings(stateMachineName: string) {
    return {
      warn: (message: string, fields?: Record<string, unknown>) =>
        this.logger.warn(`state machine ${stateMachineName}: ${message}`, fields),
    };
  }

  // ---- state machines ----------------------------------------------------------------------------------------

  private createStateMachineOperation(request: WireObject): WireObject {
    const name = requiredString(request, 'name');
    const definitionText = requiredString(request, 'definition', 1_048_576);
    const roleArn = optionalString(request, 'roleArn', 256);
    const type = optionalString(request, 'type');
    if (type === 'EXPRESS') {
      throw new StepFunctionsServiceError(
        'StateMachineTypeNotSupported',
        'The local Step Functions engine runs STANDARD state machines only',
      );
    }
    if (type !== undefined && type !== 'STANDARD')
      throw validationError(`Invalid state machine type '${type}'`);
    assertValidName(name, 'state machine');
    const definition = parseJsonMember(
      definitionText,
      'InvalidDefinition',
      'Invalid State Machine Definition',
    );
    if (typeof definition !== 'object' || definition === null) {
      throw new StepFunctionsServiceError(
        'InvalidDefinition',
        'Invalid State Machine Definition: a definition is a JSON object',
      );
    }
    const existing = this.stateMachines.get(this.stateMachineArn(name));
    if (existing) {
      const sameMachine =
        canonicalJson(JSON.parse(existing.definitionText)) === canonicalJson(definition) &&
        (roleArn === undefined || roleArn === existing.roleArn);
      if (!sameMachine) {
        throw new StepFunctionsServiceError(
          'StateMachineAlreadyExists',
          `State Machine Already Exists: '${existing.arn}'`,
        );
      }
      return { stateMachineArn: existing.arn, creationDate: toEpochSeconds(existing.creationDate) };
    }
    const arn = this.createStateMachine(name, definition, roleArn === undefined ? {} : { roleArn });
    const created = this.requireStateMachine(arn);
    return { stateMachineArn: arn, creationDate: toEpochSeconds(created.creationDate) };
  }

  private describeStateMachine(request: WireObject): WireObject {
    const machine = this.requireStateMachine(requiredString(request, 'stateMachineArn'));
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: toEpochSeconds(machine.creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private listStateMachines(request: WireObject): WireObject {
    const maxResults = pageSize(request);
    const position = decodePageToken(optionalString(request, 'nextToken'), { list: 'stateMachines' });
    const after = typeof position?.after === 'number' ? position.after : 0;
    const machines = [...this.stateMachines.values()]
      .sort((a, b) => a.sequence - b.sequence)
      .filter((machine) => machine.sequence > after);
    const page = machines.slice(0, maxResults);
    const last = page.at(-1);
    return {
      stateMachines: page.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: toEpochSeconds(machine.creationDate),
      })),
      nextToken:
        machines.length > page.length && last
          ? encodePageToken({ list: 'stateMachines', after: last.sequence })
          : undefined,
    };
  }

  /** Running executions go on with the definition they started with (AWS lets them finish too). */
  private deleteStateMachine(request: WireObject): WireObject {
    const arn = requiredString(request, 'stateMachineArn');
    parseStateMachineArn(arn);
    this.stateMachines.delete(arn);
    return {};
  }

  private requireStateMachine(arn: string): RegisteredStateMachine {
    parseStateMachineArn(arn);
    const machine = this.stateMachines.get(arn);
    if (!machine)
      throw new StepFunctionsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${arn}'`,
      );
    return machine;
  }

  // ---- executions --------------------------------------------------------------------------------------------

  /**
   * Like AWS Standard workflows: the name defaults to a UUID; the same name with the same input while that
   * execution runs returns it again (idempotent); otherwise an existing name is ExecutionAlreadyExists.
   */
  private startExecution(request: WireObject): WireObject {
    const machine = this.requireStateMachine(requiredString(request, 'stateMachineArn'));
    const name = optionalString(request, 'name') ?? randomUUID();
    assertValidName(name, 'execution');
    const input = optionalString(request, 'input') ?? '{}';
    const inputValue = parseExecutionInput(input);
    if (this.closed)
      throw new StepFunctionsServiceError(
        'InternalFailure',
        'The local Step Functions endpoint is shutting down',
        500,
      );

    const arn = executionArn(this.scope, machine.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && canonicalJson(existing.inputValue) === canonicalJson(inputValue)) {
        return { executionArn: arn, startDate: toEpochSeconds(existing.startDate) };
      }
      throw new StepFunctionsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const execution = new LocalExecution(
      {
        executionArn: arn,
        name,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        roleArn: machine.roleArn,
        input,
        inputValue,
        sequence: ++this.sequence,
        definition: machine.prepared,
      },
      this.executionEnvironment(),
    );
    this.executions.set(arn, execution);
    this.journal?.started({ stateMachineName: machine.name, name, input });
    // An execution aborted by close() is still running as far as the journal knows: the next start resumes it.
    void execution.settled.then(() => {
      if (!this.closed) this.journal?.ended(machine.name, name);
    });
    this.logger.info('execution started', { executionArn: arn });
    return { executionArn: arn, startDate: toEpochSeconds(execution.startDate) };
  }

  private executionEnvironment(): ExecutionEnvironment {
    return {
      region: this.region,
      invokeLambda: this.options.invokeLambda,
      tokens: this.tokens,
      logger: this.logger,
      retryIntervalOverrideMs: this.options.retryIntervalOverrideMs,
      waitStateOverrideMs: this.options.waitStateOverrideMs,
      mapRuns: this.mapRunHost,
    };
  }

  /**
   * Map Runs and their children are named as AWS names them: `<machine>/<label>` then a UUID, so the children are
   * not executions of the parent's state machine (ListExecutions lists them by mapRunArn).
   */
  private readonly mapRunHost: MapRunHost = {
    open: (parent: LocalExecution, spec: PreparedDistributedMap, itemCount: number) => {
      const labelled = `${parent.stateMachineName}/${spec.label}`;
      const run = new LocalMapRun({
        mapRunArn: mapRunArn(this.scope, labelled, randomUUID()),
        executionArn: parent.executionArn,
        stateMachineArn: parent.stateMachineArn,
        childStateMachineArn: this.stateMachineArn(labelled),
        childStateMachineName: labelled,
        label: spec.label,
        maxConcurrency: spec.maxConcurrency,
        itemCount,
        sequence: ++this.sequence,
      });
      this.mapRuns.set(run.mapRunArn, run);
      return run;
    },
    startChild: (run: LocalMapRun, spec: PreparedDistributedMap, input: unknown) => {
      const name = randomUUID();
      const child = new LocalExecution(
        {
          executionArn: executionArn(this.scope, run.childStateMachineName, name),
          name,
          stateMachineArn: run.childStateMachineArn,
          stateMachineName: run.childStateMachineName,
          roleArn: this.executions.get(run.executionArn)?.roleArn ?? '',
          input: JSON.stringify(input ?? null),
          inputValue: input ?? null,
          sequence: ++this.sequence,
          definition: spec.processor,
          mapRunArn: run.mapRunArn,
        },
        this.executionEnvironment(),
      );
      run.children.push(child);
      this.executions.set(child.executionArn, child);
      return child;
    },
  };

  private requireMapRun(arn: string): LocalMapRun {
    assertMapRunArn(arn);
    const run = this.mapRuns.get(arn);
    if (!run) throw new StepFunctionsServiceError('ResourceNotFound', `Resource not found: '${arn}'`);
    return run;
  }

  private describeMapRun(request: WireObject): WireObject {
    return this.requireMapRun(requiredString(request, 'mapRunArn')).describe();
  }

  /** The Map Runs an execution started, oldest first. */
  private listMapRuns(request: WireObject): WireObject {
    const arn = requiredString(request, 'executionArn');
    this.requireExecution(arn);
    const maxResults = pageSize(request);
    const query = { list: 'mapRuns', executionArn: arn };
    const position = decodePageToken(optionalString(request, 'nextToken'), query);
    const after = typeof position?.after === 'number' ? position.after : 0;
    const runs = [...this.mapRuns.values()]
      .filter((run) => run.executionArn === arn && run.sequence > after)
      .sort((a, b) => a.sequence - b.sequence);
    const page = runs.slice(0, maxResults);
    const last = page.at(-1);
    return {
      mapRuns: page.map((run) => run.listItem()),
      nextToken:
        runs.length > page.length && last ? encodePageToken({ ...query, after: last.sequence }) : undefined,
    };
  }

  private requireExecution(arn: string): LocalExecution {
    assertExecutionArn(arn);
    const execution = this.executions.get(arn);
    if (!execution)
      throw new StepFunctionsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  private describeExecution(request: WireObject): WireObject {
    return describeExecutionOutput(this.requireExecution(requiredString(request, 'executionArn')));
  }

  /** Stopping an execution that is over changes nothing and answers its stop date. */
  private stopExecution(request: WireObject): WireObject {
    const execution = this.requireExecution(requiredString(request, 'executionArn'));
    const error = optionalString(request, 'error', 256);
    const cause = optionalString(request, 'cause', 32_768);
    execution.stop(error, cause);
    return { stopDate: toEpochSeconds(execution.stopDate ?? new Date()) };
  }

  /** Of a state machine, or the children of a Map Run (exactly one of the two); newest first, like AWS. */
  private listExecutions(request: WireObject): WireObject {
    const machineArn = optionalString(request, 'stateMachineArn');
    const runArn = optionalString(request, 'mapRunArn');
    if ((machineArn === undefined) === (runArn === undefined)) {
      throw validationError('Specify either a stateMachineArn or a mapRunArn, but not both');
    }
    const statusFilter = optionalString(request, 'statusFilter');
    if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw validationError(`Invalid statusFilter '${statusFilter}'`);
    }
    if (machineArn !== undefined) this.requireStateMachine(machineArn);
    if (runArn !== undefined) this.requireMapRun(runArn);
    const belongs = (execution: LocalExecution) =>
      runArn === undefined ? execution.stateMachineArn === machineArn : execution.mapRunArn === runArn;
    const maxResults = pageSize(request);
    const query = { list: 'executions', stateMachineArn: machineArn, mapRunArn: runArn, statusFilter };
    const position = decodePageToken(optionalString(request, 'nextToken'), query);
    const before = typeof position?.before === 'number' ? position.before : Number.POSITIVE_INFINITY;
    const matching = [...this.executions.values()]
      .filter((execution) => belongs(execution) && execution.sequence < before)
      .filter((execution) => statusFilter === undefined || execution.status === statusFilter)
      .sort((a, b) => b.sequence - a.sequence);
    const page = matching.slice(0, maxResults);
    const last = page.at(-1);
    return {
      executions: page.map(executionListItem),
      nextToken:
        matching.length > page.length && last
          ? encodePageToken({ ...query, before: last.sequence })
          : undefined,
    };
  }

  private getExecutionHistory(request: WireObject): WireObject {
    const arn = requiredString(request, 'executionArn');
    const execution = this.requireExecution(arn);
    const reverseOrder = optionalBoolean(request, 'reverseOrder') ?? false;
    const includeExecutionData = optionalBoolean(request, 'includeExecutionData') ?? true;
    const maxResults = pageSize(request);
    const query = { list: 'history', executionArn: arn, reverseOrder };
    const position = decodePageToken(optionalString(request, 'nextToken'), query);
    const fromEventId = typeof position?.fromEventId === 'number' ? position.fromEventId : undefined;
    const page = execution.history.page({ fromEventId, maxResults, reverseOrder });
    return {
      events: includeExecutionData ? page.events : page.events.map(withoutExecutionData),
      nextToken:
        page.nextEventId === undefined
          ? undefined
          : encodePageToken({ ...query, fromEventId: page.nextEventId }),
    };
  }

  // ---- task tokens -------------------------------------------------------------------------------------------

  private sendTaskSuccess(request: WireObject): WireObject {
    const taskToken = requiredString(request, 'taskToken', 2048);
    const outputText = requiredString(request, 'output', MAX_PAYLOAD_BYTES);
    const output = parseJsonMember(outputText, 'InvalidOutput', 'Invalid Output');
    this.tokens.answer(taskToken, { kind: 'success', output });
    return {};
  }

  private sendTaskFailure(request: WireObject): WireObject {
    const taskToken = requiredString(request, 'taskToken', 2048);
    const error = optionalString(request, 'error', 256);
    const cause = optionalString(request, 'cause', 32_768);
    this.tokens.answer(taskToken, { kind: 'failure', error, cause });
    return {};
  }

  private sendTaskHeartbeat(request: WireObject): WireObject {
    this.tokens.heartbeat(requiredString(request, 'taskToken', 2048));
    return {};
  }
}
