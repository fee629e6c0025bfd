// statemachines/transfer.asl.json: valid ASL (asl-validator 4), every task wired to a handler that exists, and the
// retry/catch policy the design asks for, as the loader delivers it to CDK and the local engine.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { TRANSFER_STATUSES } from '#domain/model.ts';
import { importHandler } from '#local/handler-modules.ts';
import { REPOSITORY_ROOT } from '#local/paths.ts';
import { localPlaceholderValues } from '#local/workflow-functions.ts';
import {
  type AslDefinition,
  type AslState,
  DEFAULT_WORKFLOW_SETTINGS,
  loadTransferDefinition,
  MOVE_WINDOW_HOURS,
  placeholdersOf,
  readTransferAsl,
  retriesWithinWindow,
  substitutePlaceholders,
} from '#statemachines/transfer-definition.ts';
import {
  LAMBDA_SERVICE_ERRORS,
  MATCHABLE_ERROR_NAMES,
  WORKFLOW_ERRORS,
  WORKFLOW_FAULTS,
} from '#statemachines/workflow-errors.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

function allStates(definition: AslDefinition): Record<string, AslState> {
  const found: Record<string, AslState> = {};
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      found[name] = state;
      const processor = state.ItemProcessor as AslDefinition | undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(definition.States);
  return found;
}

const raw = readTransferAsl();
const loaded = loadTransferDefinition();
const states = allStates(loaded);
const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
const functionNameOf = (state: AslState) =>
  (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName ?? '';
const retriersOf = (name: string) => (states[name]?.Retry as Retrier[] | undefined) ?? [];
const catchersOf = (name: string) => (states[name]?.Catch as Catcher[] | undefined) ?? [];

describe('the transfer state machine definition', () => {
  it('is valid ASL, as written and as loaded with placeholders substituted', () => {
    for (const definition of [
      raw,
      loaded,
      substitutePlaceholders(loaded, localPlaceholderValues('us-east-1', '000000000000')),
    ]) {
      const result = validator(structuredClone(definition));
      expect(result.errorsText(), 'asl-validator').toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it('names every task function by a placeholder of WORKFLOW_TASKS whose handler file exists and exports handler', async () => {
    const placeholders = placeholdersOf(raw);
    expect(placeholders.sort()).toEqual(WORKFLOW_TASKS.map((task) => task.placeholder).sort());
    for (const [name, state] of tasks) {
      const placeholder = /^\$\{(\w+)\}$/.exec(functionNameOf(state))?.[1];
      const task = WORKFLOW_TASKS.find((candidate) => candidate.placeholder === placeholder);
      expect(task, `${name} names ${functionNameOf(state)}`).toBeDefined();
      expect(existsSync(resolve(REPOSITORY_ROOT, task?.entry ?? '')), task?.entry).toBe(true);
      expect(typeof (await importHandler(task?.entry ?? ''))).toBe('function');
    }
    for (const task of WORKFLOW_TASKS)
      expect(tasks.some(([, state]) => functionNameOf(state) === `\${${task.placeholder}}`)).toBe(true);
  });

  it('has a value for every placeholder, and refuses to run with one missing', () => {
    const values = localPlaceholderValues('us-east-1', '000000000000');
    expect(Object.keys(values).sort()).toEqual(placeholdersOf(raw).sort());
    expect(JSON.stringify(substitutePlaceholders(loaded, values))).not.toMatch(/\$\{\w+\}/);
    const [first, ...rest] = Object.keys(values);
    expect(() =>
      substitutePlaceholders(loaded, Object.fromEntries(rest.map((key) => [key, values[key] ?? '']))),
    ).toThrow(new RegExp(`No value for ASL placeholder\\(s\\): ${first}`));
  });

  it('retries Lambda service errors on every task as AWS recommends', () => {
    for (const [name] of tasks) {
      const retriers = retriersOf(name);
      // RecordLineItemFailure retries every error (States.ALL), Lambda's included.
      if (retriers.some((retrier) => retrier.ErrorEquals.includes('States.ALL'))) continue;
      const retrier = retriers.find((candidate) => candidate.ErrorEquals.includes(LAMBDA_SERVICE_ERRORS[0]));
      expect(retrier, name).toBeDefined();
      expect(retrier?.ErrorEquals).toEqual([...LAMBDA_SERVICE_ERRORS]);
      expect(retrier).toMatchObject({ IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 });
    }
  });

  it('retries storage outages wherever storage is used', () => {
    for (const [name] of tasks) {
      const errors = retriersOf(name).flatMap((retrier) => retrier.ErrorEquals);
      expect(errors.includes(WORKFLOW_ERRORS.TransientStorage) || errors.includes('States.ALL'), name).toBe(
        true,
      );
    }
  });

  it('moves each line item in a DISTRIBUTED Map: one Standard child execution per item, from the state input', () => {
    const map = states.MoveLineItems;
    expect(map?.Type).toBe('Map');
    expect(map?.ItemProcessor).toMatchObject({
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'MoveLineItem',
    });
    expect(map?.Label).toMatch(/^[A-Za-z0-9]{1,40}$/);
    // Items come from the state input (a line item id each, well under the 256 KiB input limit): no ItemReader,
    // no batching, no ResultWriter; no failure is tolerated (an item's failure is recorded inside its child).
    expect(map?.ItemsPath).toBe('$.lineItemIds');
    for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage'])
      expect(map, field).not.toHaveProperty(field);
    expect(map?.ItemSelector).toEqual({
      'customerId.$': '$.customerId',
      'transferId.$': '$.transferId',
      'lineItemId.$': '$$.Map.Item.Value',
      // The header's facts StartMoving read once: a move reads no header.
      'move.$': '$.move',
    });
    expect(states.StartMoving?.ResultSelector).toMatchObject({ 'move.$': '$.Payload.move' });
    expect(states.MoveLineItem?.Parameters).toMatchObject({
      Payload: { 'move.$': '$.move' },
    });
    // The parent keeps nothing of the children's results.
    expect(map?.ResultPath).toBeNull();
  });

  it('moves each line item with its own capped, jittered retry bounded by the 72 h window', () => {
    const map = states.MoveLineItems;
    expect(map?.MaxConcurrency).toBe(DEFAULT_WORKFLOW_SETTINGS.moveConcurrency);
    expect(
      loadTransferDefinition({ ...DEFAULT_WORKFLOW_SETTINGS, moveConcurrency: 3 }).States.MoveLineItems
        ?.MaxConcurrency,
    ).toBe(3);
    const transient = retriersOf('MoveLineItem').find((retrier) =>
      retrier.ErrorEquals.includes(WORKFLOW_ERRORS.TransientMove),
    );
    expect(transient?.ErrorEquals).toContain(WORKFLOW_ERRORS.TransientStorage);
    expect(transient).toMatchObject({
      IntervalSeconds: 2,
      BackoffRate: 2,
      MaxDelaySeconds: 900,
      JitterStrategy: 'FULL',
      MaxAttempts: retriesWithinWindow(DEFAULT_WORKFLOW_SETTINGS.moveRetry),
    });
    // The worst case (every pause at its cap, before jitter shortens it) stays within the window.
    let total = 0;
    for (let retry = 0; retry < (transient?.MaxAttempts ?? 0); retry++)
      total += Math.min(2 * 2 ** retry, 900);
    expect(total).toBeLessThanOrEqual(MOVE_WINDOW_HOURS * 3600);
    expect(total + 900).toBeGreaterThan(MOVE_WINDOW_HOURS * 3600);
    // A permanent error (or retries exhausted) is caught inside the item and recorded there.
    expect(
      retriersOf('MoveLineItem').some((retrier) =>
        retrier.ErrorEquals.includes(WORKFLOW_ERRORS.PermanentMove),
      ),
    ).toBe(false);
    expect(catchersOf('MoveLineItem')).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.moveError', Next: 'RecordLineItemFailure' },
    ]);
    expect(map?.Catch).toBeUndefined();
    expect(map?.Next).toBe('FinaliseTransfer');
  });

  it('waits for acceptance with a callback whose timeout is the time left, routing cancel and timeout', () => {
    const wait = states.AwaitAcceptance;
    expect(wait?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait?.TimeoutSecondsPath).toBe('$.Payload.acceptanceTimeoutSeconds');
    expect(
      (wait?.Parameters as { Payload?: Record<string, string> } | undefined)?.Payload?.['taskToken.$'],
    ).toBe('$$.Task.Token');
    const catchers = catchersOf('AwaitAcceptance');
    expect(catchers.find((catcher) => catcher.ErrorEquals.includes('States.Timeout'))?.Next).toBe(
      'ExpireTransfer',
    );
    expect(
      catchers.find((catcher) => catcher.ErrorEquals.includes(WORKFLOW_ERRORS.TransferCanceled))?.Next,
    ).toBe('LoadTransfer');
    expect(
      catchers.find((catcher) => catcher.ErrorEquals.includes(WORKFLOW_ERRORS.TransferNoLongerActive))?.Next,
    ).toBe('LoadTransfer');
  });

  it('never blocks the transfer on the creation emails, and retries an email in flight past a stale claim', () => {
    expect(catchersOf('NotifyCreation')).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.notificationFailure', Next: 'AwaitAcceptance' },
    ]);
    for (const name of ['NotifyCreation', 'NotifyCompletion']) {
      const inFlight = retriersOf(name).find((retrier) =>
        retrier.ErrorEquals.includes(WORKFLOW_ERRORS.NotificationInFlight),
      );
      let total = 0;
      for (let retry = 0; retry < (inFlight?.MaxAttempts ?? 0); retry++) {
        total += Math.min(
          (inFlight?.IntervalSeconds ?? 0) * (inFlight?.BackoffRate ?? 1) ** retry,
          inFlight?.MaxDelaySeconds ?? 0,
        );
      }
      expect(inFlight?.JitterStrategy, name).toBe('NONE');
      // The email marker store takes over a claim after 120 s.
      expect(total, name).toBeGreaterThan(120);
    }
  });

  it('matches only error names that statemachines/workflow-errors.ts defines (or States.*), and every one it defines', () => {
    const matched = new Set(
      Object.values(states).flatMap((state) =>
        [
          ...((state.Retry as Retrier[] | undefined) ?? []),
          ...((state.Catch as Catcher[] | undefined) ?? []),
        ].flatMap((handler) => handler.ErrorEquals),
      ),
    );
    const undefinedNames = [...matched].filter(
      (name) => !name.startsWith('States.') && !MATCHABLE_ERROR_NAMES.has(name),
    );
    expect(undefinedNames).toEqual([]);
    // A name the module says the ASL handles that it does not is a stale entry (or a lost Retry/Catch). A permanent
    // move error is the exception: the item's catch-all (States.ALL) records it, and no retrier may name it.
    const unmatched = [...MATCHABLE_ERROR_NAMES].filter((name) => !matched.has(name));
    expect(unmatched).toEqual([WORKFLOW_ERRORS.PermanentMove]);
    // Faults fail the execution on purpose: nothing may catch them by name.
    for (const fault of Object.values(WORKFLOW_FAULTS)) expect(matched.has(fault), fault).toBe(false);
  });

  it('routes every status the domain knows', () => {
    const choices =
      (states.RouteByStatus?.Choices as {
        Variable?: string;
        StringEquals?: string;
        And?: { StringEquals?: string }[];
      }[]) ?? [];
    const routed = new Set(
      choices.flatMap((choice) => [
        choice.StringEquals,
        ...(choice.And ?? []).map((part) => part.StringEquals),
      ]),
    );
    for (const status of TRANSFER_STATUSES) {
      expect(routed.has(status), status).toBe(true);
    }
  });
});
