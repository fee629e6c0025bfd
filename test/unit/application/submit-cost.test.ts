// Submit costs the same whatever the number of line items: the items were judged and their subscriptions claimed
// when they were set, so the submit reads the transfer once, wins one status change and resumes the workflow. Counted
// as calls on the storage ports (one port call is one DynamoDB request here: a transfer of 200 items is one page).
import { describe, expect, it } from 'vitest';
import type { World } from './fixtures.ts';
import { actionOn, activeTransfer, world } from './fixtures.ts';

/** Counts every call made on the storage ports from now on, as `port.method`. */
function countStorageCalls(w: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [portName, port] of Object.entries(w.storage)) {
    const target = port as Record<string, unknown>;
    let prototype = Object.getPrototypeOf(port) as object | null;
    const methods = new Set<string>(Object.keys(target));
    while (prototype && prototype !== Object.prototype) {
      for (const name of Object.getOwnPropertyNames(prototype)) methods.add(name);
      prototype = Object.getPrototypeOf(prototype) as object | null;
    }
    for (const method of methods) {
      const original = target[method];
      if (method === 'constructor' || typeof original !== 'function') continue;
      target[method] = (...args: unknown[]) => {
        const key = `${portName}.${method}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return (original as (...a: unknown[]) => unknown).apply(port, args);
      };
    }
  }
  return counts;
}

async function submitCalls(items: number): Promise<Record<string, number>> {
  const w = world(items);
  const transfer = await activeTransfer(
    w,
    Array.from({ length: items }, (_, index) => `sub-${index}`),
  );
  const counts = countStorageCalls(w);
  const accepted = await w.useCases.submit(actionOn(transfer));
  expect(accepted.status).toBe('Accepted');
  expect(accepted.lineItems).toHaveLength(items);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

describe('submit', () => {
  it('makes the same storage calls for 1 line item as for 200', async () => {
    const one = await submitCalls(1);
    const many = await submitCalls(200);
    expect(many).toEqual(one);
    // Nothing per item: no claim, no subscription read.
    expect(Object.keys(one).filter((call) => call.startsWith('subscriptions.'))).toEqual([]);
  });
});
