// A DISTRIBUTED Map as the local engine runs it. AWS starts one child execution per item (a Map Run), each with its
// own history; here the engine's own Map still does what it does well (ItemsPath, ItemSelector, MaxConcurrency,
// the Map's Retry/Catch/ResultPath), but its item processor is replaced by one task that starts the child
// execution and waits for it. The ItemSelector is wrapped so that task also learns the item's index and the
// number of items (to know when the Map Run is over).
import { invalidDefinition } from './errors.ts';

type JsonObject = Record<string, unknown>;

export interface DistributedMapSpec<Prepared = unknown> {
  /** The Map state's name. */
  name: string;
  /** The Map Run label: the state's Label, else its name (AWS generates one). */
  label: string;
  /** The engine's one state per item, which starts and awaits the child execution. */
  childTaskName: string;
  /** The item processor as a definition of its own: what each child execution runs. */
  processor: Prepared;
  /** MaxConcurrency as written (0 or absent: no limit on AWS, the engine's default of 40 here). */
  maxConcurrency: number;
}

/** What the engine hands the child task for each item (the wrapped ItemSelector). */
export interface ChildTaskInput {
  input: unknown;
  index: number;
  count: number;
}

const UNSUPPORTED_FIELDS = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'MaxConcurrencyPath'] as const;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rewrites the Map state in place for the engine and returns what the execution needs to run its children.
 * Items must come from the state input: ItemReader, ItemBatcher and ResultWriter are refused, as are tolerated
 * failures (every child failure fails the Map Run, AWS's default) and Express children (their history is not
 * kept by AWS either).
 */
export function rewriteDistributedMap<Prepared>(
  name: string,
  state: JsonObject,
  options: { prepare: (processor: JsonObject) => Prepared; childTimeoutSeconds: number },
): DistributedMapSpec<Prepared> {
  const unsupported = (what: string) =>
    invalidDefinition(`state '${name}': ${what} is not supported by the local engine's DISTRIBUTED Map`);
  for (const field of UNSUPPORTED_FIELDS) if (field in state) throw unsupported(field);
  for (const field of ['ToleratedFailurePercentage', 'ToleratedFailureCount'])
    if (state[field] !== undefined && state[field] !== 0) throw unsupported(`a non-zero ${field}`);
  for (const field of ['ToleratedFailurePercentagePath', 'ToleratedFailureCountPath'])
    if (field in state) throw unsupported(field);
  const processor = state.ItemProcessor as JsonObject;
  const config = processor.ProcessorConfig as JsonObject;
  if (config.ExecutionType !== 'STANDARD') throw unsupported(`ExecutionType ${String(config.ExecutionType)}`);

  const { ProcessorConfig: _config, ...childDefinition } = processor;
  const spec: DistributedMapSpec<Prepared> = {
    name,
    label: typeof state.Label === 'string' ? state.Label : name,
    childTaskName: `${name} (child execution)`,
    processor: options.prepare(childDefinition),
    maxConcurrency: typeof state.MaxConcurrency === 'number' ? state.MaxConcurrency : 0,
  };

  const selector = state.ItemSelector ?? state.Parameters;
  const itemsPath = typeof state.ItemsPath === 'string' ? state.ItemsPath : '$';
  state.ItemSelector = {
    ...(isObject(selector) ? { input: selector } : { 'input.$': '$$.Map.Item.Value' }),
    'index.$': '$$.Map.Item.Index',
    'count.$': `States.ArrayLength(${itemsPath})`,
  };
  delete state.Parameters;
  delete state.Label;
  delete state.ToleratedFailurePercentage;
  delete state.ToleratedFailureCount;
  state.ItemProcessor = {
    ProcessorConfig: { Mode: 'INLINE' },
    StartAt: spec.childTaskName,
    States: {
      [spec.childTaskName]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.sync:2',
        TimeoutSeconds: options.childTimeoutSeconds,
        End: true,
      },
    },
  };
  return spec;
}
