// Prepares an ASL definition for aws-local-stepfunctions: validates it, finds every Task/Map/Wait state (also
// inside Map and Parallel), and rewrites the few things the engine gets wrong, on a copy:
// - every timer of the engine is a plain setTimeout, which fires at once above 2^31-1 ms (24.8 days): task and Wait
//   durations are capped at ENGINE_MAX_TIMEOUT_SECONDS (with a warning);
// - a Task without TimeoutSeconds gets the engine's 60 s default, AWS has (practically) none: the cap is set instead;
// - TimeoutSecondsPath is read by the engine from the task's Parameters output, AWS reads the state input: the
//   Parameters are wrapped so that the path is evaluated on the state input (the task handler unwraps them);
// - the execution-wide TimeoutSeconds is removed and enforced by the execution itself (longer than 24.8 days works);
// - a DISTRIBUTED Map runs each item as a child execution (see distributed-map.ts): its item processor becomes a
//   definition of its own, and the engine's Map keeps only a one-task processor that starts and awaits the child.
import '#local/polyfills.ts';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type DistributedMapSpec, rewriteDistributedMap } from './distributed-map.ts';
import { invalidDefinition } from './errors.ts';
import type { ValidationMemo } from './validated-definitions.ts';

/** The longest timer the engine can run: setTimeout takes at most 2^31-1 ms. */
export const ENGINE_MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** Field names used when a Task's Parameters are wrapped to carry its TimeoutSecondsPath value. */
export const WRAPPED_INPUT_FIELD = '__localStepFunctionsTaskInput';
export const WRAPPED_TIMEOUT_FIELD = '__localStepFunctionsTimeoutSeconds';

export type TaskResource =
  /** `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]`: invoked with the task input. */
  | { kind: 'lambdaFunction'; functionArn: string }
  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: Parameters carry FunctionName and Payload. */
  | { kind: 'lambdaInvoke'; integration: 'invoke' | 'invoke.waitForTaskToken'; waitForTaskToken: boolean };

export interface TaskStateSpec {
  name: string;
  resource: TaskResource;
  /** `fixed`: the engine waits this many seconds; `fromInput`: the wrapped Parameters carry the value. */
  timeout: { kind: 'fixed'; seconds: number } | { kind: 'fromInput' };
  /** TimeoutSeconds / HeartbeatSeconds as written in the definition (history shows them). */
  declaredTimeoutSeconds: number | undefined;
  declaredHeartbeatSeconds: number | undefined;
  /** A state of the machine itself, not of a Map iteration or a Parallel branch: its attempts run one at a time. */
  topLevel: boolean;
}

/** A DISTRIBUTED Map whose children's definition is prepared like this one. */
export type PreparedDistributedMap = DistributedMapSpec<PreparedDefinition>;

export interface MapStateSpec {
  name: string;
  inputPath: string | null | undefined;
  itemsPath: string | undefined;
}

export interface PreparedDefinition {
  /** The engine, built from the rewritten copy. */
  engine: StateMachine;
  tasks: ReadonlyMap<string, TaskStateSpec>;
  mapStates: ReadonlyMap<string, MapStateSpec>;
  /** DISTRIBUTED Map states by name; their item processors run as child executions. */
  distributedMaps: ReadonlyMap<string, DistributedMapSpec<PreparedDefinition>>;
  /** Names of states with a Retry field / of Wait states, for the test overrides of their pauses. */
  retryingStateNames: readonly string[];
  waitStateNames: readonly string[];
  /** The top-level TimeoutSeconds, enforced by the execution. */
  executionTimeoutSeconds: number | undefined;
}

export interface DefinitionWarnings {
  warn(message: string, fields?: Record<string, unknown>): void;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const LAMBDA_FUNCTION_ARN =
  /^arn:aws(?:-[a-z]+)*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/;
const LAMBDA_INVOKE_INTEGRATION = /^arn:aws(?:-[a-z]+)*:states:::lambda:(invoke|invoke\.waitForTaskToken)$/;

function parseTaskResource(stateName: string, resource: unknown): TaskResource {
  if (typeof resource === 'string') {
    if (LAMBDA_FUNCTION_ARN.test(resource)) return { kind: 'lambdaFunction', functionArn: resource };
    const integration = LAMBDA_INVOKE_INTEGRATION.exec(resource)?.[1];
    if (integration === 'invoke' || integration === 'invoke.waitForTaskToken') {
      return {
        kind: 'lambdaInvoke',
        integration,
        waitForTaskToken: integration === 'invoke.waitForTaskToken',
      };
    }
  }
  throw invalidDefinition(
    `state '${stateName}': resource ${JSON.stringify(resource)} is not supported by the local Step Functions ` +
      'engine (supported: Lambda function ARNs, arn:aws:states:::lambda:invoke and lambda:invoke.waitForTaskToken)',
  );
}

/** Calls `visit` for every state of the machine, nested ones included; the states may be modified in place. */
function forEachState(states: JsonObject, visit: (name: string, state: JsonObject) => void): void {
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    visit(name, state);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isObject(processor) && isObject(processor.States)) forEachState(processor.States, visit);
    if (Array.isArray(state.Branches)) {
      for (const branch of state.Branches) {
        if (isObject(branch) && isObject(branch.States)) forEachState(branch.States, visit);
      }
    }
  }
}

function capSeconds(seconds: number, where: string, warnings: DefinitionWarnings): number {
  if (seconds <= ENGINE_MAX_TIMEOUT_SECONDS) return seconds;
  warnings.warn(`${where}: ${seconds} s is longer than the local engine can wait; capped`, {
    cappedToSeconds: ENGINE_MAX_TIMEOUT_SECONDS,
  });
  return ENGINE_MAX_TIMEOUT_SECONDS;
}

export function prepareDefinition(
  definition: unknown,
  warnings: DefinitionWarnings,
  validated?: ValidationMemo,
): PreparedDefinition {
  if (!isObject(definition) || !isObject(definition.States) || typeof definition.StartAt !== 'string') {
    throw invalidDefinition('a definition is a JSON object with StartAt and States');
  }
  const definitionText = JSON.stringify(definition);
  if (!validated?.has(definitionText)) {
    try {
      // The validator adds defaults (QueryLanguage) to what it checks: give it a copy.
      new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition);
    } catch (error) {
      throw invalidDefinition(error instanceof Error ? error.message : String(error));
    }
    validated?.add(definitionText);
  }

  const rewritten = structuredClone(definition);
  const executionTimeoutSeconds =
    typeof rewritten.TimeoutSeconds === 'number' ? rewritten.TimeoutSeconds : undefined;
  delete rewritten.TimeoutSeconds;

  // Before the walk below: the item processor of a distributed Map is the children's definition, not this one's.
  const distributedMaps = new Map<string, DistributedMapSpec<PreparedDefinition>>();
  for (const [name, state] of Object.entries(rewritten.States as JsonObject)) {
    if (!isObject(state) || !isDistributedMap(state)) continue;
    distributedMaps.set(
      name,
      rewriteDistributedMap(name, state, {
        prepare: (processor) => prepareDefinition(processor, warnings, validated),
        childTimeoutSeconds: ENGINE_MAX_TIMEOUT_SECONDS,
      }),
    );
  }

  const seen = new Set<string>();
  const tasks = new Map<string, TaskStateSpec>();
  const mapStates = new Map<string, MapStateSpec>();
  const retryingStateNames: string[] = [];
  const waitStateNames: string[] = [];

  const childTaskNames = new Set([...distributedMaps.values()].map((spec) => spec.childTaskName));
  const topLevelNames = new Set(Object.keys(rewritten.States as JsonObject));
  forEachState(rewritten.States as JsonObject, (name, state) => {
    if (childTaskNames.has(name)) return;
    if (seen.has(name)) throw invalidDefinition(`state name '${name}' is used more than once`);
    seen.add(name);
    if (Array.isArray(state.Retry)) retryingStateNames.push(name);
    switch (state.Type) {
      case 'Task':
        tasks.set(name, prepareTaskState(name, state, warnings, topLevelNames.has(name)));
        break;
      case 'Map':
        if (isDistributedMap(state) && !distributedMaps.has(name)) {
          throw invalidDefinition(
            `state '${name}': the local engine runs a DISTRIBUTED Map only at the top level of a definition`,
          );
        }
        mapStates.set(name, {
          name,
          inputPath: state.InputPath as string | null | undefined,
          itemsPath: typeof state.ItemsPath === 'string' ? state.ItemsPath : undefined,
        });
        break;
      case 'Wait':
        waitStateNames.push(name);
        if (typeof state.Seconds === 'number')
          state.Seconds = capSeconds(state.Seconds, `Wait state '${name}'`, warnings);
        break;
    }
  });

  const engine = new StateMachine(rewritten as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  return {
    engine,
    tasks,
    mapStates,
    distributedMaps,
    retryingStateNames,
    waitStateNames,
    executionTimeoutSeconds,
  };
}

function isDistributedMap(state: JsonObject): boolean {
  const processor = state.ItemProcessor;
  return (
    state.Type === 'Map' &&
    isObject(processor) &&
    isObject(processor.ProcessorConfig) &&
    processor.ProcessorConfig.Mode === 'DISTRIBUTED'
  );
}

function prepareTaskState(
  name: string,
  state: JsonObject,
  warnings: DefinitionWarnings,
  topLevel: boolean,
): TaskStateSpec {
  const resource = parseTaskResource(name, state.Resource);
  const declaredTimeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
  const declaredHeartbeatSeconds =
    typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
  const spec = { name, resource, declaredTimeoutSeconds, declaredHeartbeatSeconds, topLevel };

  if (typeof state.TimeoutSecondsPath === 'string') {
    state.Parameters = {
      ...('Parameters' in state
        ? { [WRAPPED_INPUT_FIELD]: state.Parameters }
        : { [`${WRAPPED_INPUT_FIELD}.$`]: '$' }),
      [`${WRAPPED_TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath,
    };
    state.TimeoutSecondsPath = `$.${WRAPPED_TIMEOUT_FIELD}`;
    return { ...spec, timeout: { kind: 'fromInput' } };
  }
  const seconds = capSeconds(
    declaredTimeoutSeconds ?? ENGINE_MAX_TIMEOUT_SECONDS,
    `Task '${name}'`,
    warnings,
  );
  state.TimeoutSeconds = seconds;
  return { ...spec, timeout: { kind: 'fixed', seconds } };
}
