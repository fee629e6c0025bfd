// The one loader of statemachines/transfer.asl.json, used by the CDK stack and the local engine alike. It keeps
// `${Placeholders}` for the caller to substitute (CDK: definitionSubstitutions; local: substitutePlaceholders)
// and sets the numeric settings that a JSON file cannot take as placeholders.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MOVE_WINDOW_HOURS } from '#domain/move-window.ts';
import { WORKFLOW_ERRORS } from './workflow-errors.ts';

export const TRANSFER_ASL_PATH = fileURLToPath(new URL('./transfer.asl.json', import.meta.url));

export { MOVE_WINDOW_HOURS };

export interface MoveRetryPolicy {
  intervalSeconds: number;
  backoffRate: number;
  maxDelaySeconds: number;
  windowHours: number;
}

export interface TransferWorkflowSettings {
  /** How many line items move at once (Map MaxConcurrency). */
  moveConcurrency: number;
  moveRetry: MoveRetryPolicy;
}

export const DEFAULT_WORKFLOW_SETTINGS: TransferWorkflowSettings = {
  moveConcurrency: 10,
  moveRetry: { intervalSeconds: 2, backoffRate: 2, maxDelaySeconds: 900, windowHours: MOVE_WINDOW_HOURS },
};

export type AslDefinition = { StartAt: string; States: Record<string, AslState> } & Record<string, unknown>;
export type AslState = { Type: string } & Record<string, unknown>;

interface RetrierJson {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}

const PLACEHOLDER = /\$\{(\w+)\}/g;

/**
 * The largest number of retries whose worst-case total wait (each delay capped at maxDelaySeconds; full jitter
 * only shortens delays) stays within the window.
 */
export function retriesWithinWindow(policy: MoveRetryPolicy): number {
  const budget = policy.windowHours * 3600;
  let total = 0;
  let retries = 0;
  for (;;) {
    const delay = Math.min(policy.intervalSeconds * policy.backoffRate ** retries, policy.maxDelaySeconds);
    if (total + delay > budget) return retries;
    total += delay;
    retries += 1;
  }
}

function forEachState(
  states: Record<string, AslState>,
  visit: (name: string, state: AslState) => void,
): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
    if (processor?.States) forEachState(processor.States, visit);
    for (const branch of (state.Branches as AslDefinition[] | undefined) ?? [])
      forEachState(branch.States, visit);
  }
}

export function readTransferAsl(): AslDefinition {
  return JSON.parse(readFileSync(TRANSFER_ASL_PATH, 'utf8')) as AslDefinition;
}

export function loadTransferDefinition(
  settings: TransferWorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): AslDefinition {
  if (!Number.isInteger(settings.moveConcurrency) || settings.moveConcurrency < 1) {
    throw new Error(`moveConcurrency must be a positive integer, got ${settings.moveConcurrency}`);
  }
  const definition = readTransferAsl();
  const maxAttempts = retriesWithinWindow(settings.moveRetry);
  forEachState(definition.States, (_name, state) => {
    if (state.Type === 'Map') state.MaxConcurrency = settings.moveConcurrency;
    for (const retrier of (state.Retry as RetrierJson[] | undefined) ?? []) {
      if (!retrier.ErrorEquals.includes(WORKFLOW_ERRORS.TransientMove)) continue;
      retrier.IntervalSeconds = settings.moveRetry.intervalSeconds;
      retrier.BackoffRate = settings.moveRetry.backoffRate;
      retrier.MaxDelaySeconds = settings.moveRetry.maxDelaySeconds;
      retrier.MaxAttempts = maxAttempts;
    }
  });
  return definition;
}

/** Every `${Name}` used in the definition, each once. */
export function placeholdersOf(definition: AslDefinition): string[] {
  return [...new Set([...JSON.stringify(definition).matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/** Replaces every placeholder; a missing value is an error, never a silently broken definition. */
export function substitutePlaceholders(
  definition: AslDefinition,
  values: Record<string, string>,
): AslDefinition {
  const missing = placeholdersOf(definition).filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new Error(`No value for ASL placeholder(s): ${missing.join(', ')}`);
  // Values are escaped as JSON string content, so no value can break the document.
  const text = JSON.stringify(definition).replace(PLACEHOLDER, (_match, name: string) =>
    JSON.stringify(values[name] ?? '').slice(1, -1),
  );
  return JSON.parse(text) as AslDefinition;
}
