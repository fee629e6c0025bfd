// Submit costs the same whatever the number of line items: the items were judged and their subscriptions claimed
// when they were set, so the submit reads the transfer once, wins one status change and resumes the workflow. Counted
// as calls on the storage ports (one port call is one DynamoDB request here: a transfer of 200 items is one page).
import { describe, expect, it } from 'vitest';
import { actionOn, activeTransfer, countStorageCalls, world } from './fixtures.ts';

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
