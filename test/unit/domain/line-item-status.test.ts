import { describe, expect, it } from 'vitest';
import { applyLineItemEvent, isLineItemSettled, type LineItemEvent } from '#domain/line-item-status.ts';
import type { LineItemStatus, TransferLineItem } from '#domain/model.ts';
import { at, pendingLineItems } from './fixtures.ts';

const NOW = at(1000);
const ERROR = { code: 'Throttled', description: 'Try later.' };

function itemIn(status: LineItemStatus, attempts = status === 'Pending' ? 0 : 2): TransferLineItem {
  const item = pendingLineItems(1)[0]!;
  return {
    ...item,
    status,
    attempts,
    ...(status === 'Failed' ? { transferError: { code: 'Gone', description: 'Gone.' } } : {}),
    ...(status === 'Complete' ? { completedTime: at(0).toISOString() } : {}),
  };
}

const EVENTS: Record<string, LineItemEvent> = {
  AttemptStarted: { type: 'AttemptStarted' },
  Moved: { type: 'Moved' },
  TransientFailure: { type: 'Failed', error: ERROR, permanent: false },
  PermanentFailure: { type: 'Failed', error: ERROR, permanent: true },
};

// [from, event, resulting status | 'same' (idempotent replay) | error code]
const TABLE: [LineItemStatus, keyof typeof EVENTS, LineItemStatus | 'same' | 'IllegalTransition'][] = [
  ['Pending', 'AttemptStarted', 'InProgress'],
  ['Pending', 'Moved', 'Complete'],
  ['Pending', 'TransientFailure', 'InProgress'],
  ['Pending', 'PermanentFailure', 'Failed'],
  ['InProgress', 'AttemptStarted', 'InProgress'],
  ['InProgress', 'Moved', 'Complete'],
  ['InProgress', 'TransientFailure', 'InProgress'],
  ['InProgress', 'PermanentFailure', 'Failed'],
  ['Complete', 'AttemptStarted', 'IllegalTransition'],
  ['Complete', 'Moved', 'same'],
  ['Complete', 'TransientFailure', 'IllegalTransition'],
  ['Complete', 'PermanentFailure', 'IllegalTransition'],
  ['Failed', 'AttemptStarted', 'IllegalTransition'],
  ['Failed', 'Moved', 'IllegalTransition'],
  ['Failed', 'TransientFailure', 'IllegalTransition'],
  ['Failed', 'PermanentFailure', 'same'],
];

describe('line item status moves', () => {
  it.each(TABLE)('%s + %s -> %s', (from, eventName, outcome) => {
    const item = itemIn(from);
    const result = applyLineItemEvent(item, EVENTS[eventName]!, NOW);
    if (outcome === 'IllegalTransition') {
      expect(result.ok ? 'ok' : result.error.code).toBe('IllegalTransition');
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    if (outcome === 'same') {
      expect(result.value).toBe(item);
      return;
    }
    expect(result.value.status).toBe(outcome);
    expect(result.value.attempts).toBeGreaterThanOrEqual(1);
  });

  it('counts one attempt per AttemptStarted', () => {
    let item = itemIn('Pending');
    for (let i = 1; i <= 3; i += 1) {
      const r = applyLineItemEvent(item, { type: 'AttemptStarted' }, NOW);
      if (!r.ok) throw new Error(r.error.code);
      item = r.value;
      expect(item.attempts).toBe(i);
    }
  });

  it('a transient failure keeps the item moving and records the last error', () => {
    const r = applyLineItemEvent(itemIn('InProgress'), EVENTS.TransientFailure!, NOW);
    expect(r.ok && r.value).toMatchObject({ status: 'InProgress', transferError: ERROR, attempts: 2 });
  });

  it('moving clears the last error and stamps completedTime', () => {
    const failing = { ...itemIn('InProgress'), transferError: ERROR };
    const r = applyLineItemEvent(failing, { type: 'Moved' }, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.transferError).toBeUndefined();
    expect(r.value.completedTime).toBe(NOW.toISOString());
  });

  it('settling straight from Pending still counts one attempt', () => {
    const r = applyLineItemEvent(itemIn('Pending'), { type: 'Moved' }, NOW);
    expect(r.ok && r.value.attempts).toBe(1);
  });

  it('does not mutate its input', () => {
    const item = itemIn('Pending');
    const copy = structuredClone(item);
    applyLineItemEvent(item, { type: 'AttemptStarted' }, NOW);
    applyLineItemEvent(item, EVENTS.PermanentFailure!, NOW);
    expect(item).toEqual(copy);
  });

  it.each([
    ['Pending', false],
    ['InProgress', false],
    ['Complete', true],
    ['Failed', true],
  ] as const)('%s settled: %s', (status, settled) => {
    expect(isLineItemSettled(status)).toBe(settled);
  });
});
