// Submit costs the same whatever the number of line items, answer included: the items were judged and their
// subscriptions claimed when they were set, so the submit reads the transfer's header (never its line items), wins
// one status change and resumes the workflow, and POST …/submit renders its 202 answer from that header. Counted as
// calls on the storage ports (one port call is one DynamoDB request here; `transfers.get` is the one that reads line
// items, a Query whose pages grow with their number).
import { describe, expect, it } from 'vitest';
import { SUBMITTED_TRANSFER_SCHEMA } from '#api/schemas/transfer-read-schemas.ts';
import { submittedTransferRepresentation } from '#api/transfer-representation.ts';
import { actionOn, activeTransfer, countStorageCalls, world } from './fixtures.ts';

async function submitAndRender(items: number) {
  const w = world(items);
  const transfer = await activeTransfer(
    w,
    Array.from({ length: items }, (_, index) => `sub-${index}`),
  );
  const counts = countStorageCalls(w);
  const answer = submittedTransferRepresentation(await w.useCases.submit(actionOn(transfer)));
  const calls = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
  return { calls, answer };
}

describe('submit', () => {
  it('makes the same storage calls for 1 line item as for 200, rendering its answer included', async () => {
    const one = await submitAndRender(1);
    const many = await submitAndRender(200);
    expect(many.calls).toEqual(one.calls);
    // The header, the caller's partner record, the status change, the audit entry: no line item, no subscription.
    expect(Object.keys(one.calls)).toEqual([
      'audit.append',
      'directory.getPartner',
      'transfers.changeStatus',
      'transfers.getHeader',
    ]);
  });

  it('answers with the count and progress instead of the line items', async () => {
    const { answer } = await submitAndRender(200);
    expect(SUBMITTED_TRANSFER_SCHEMA.safeParse(answer).success).toBe(true);
    expect(answer).toMatchObject({
      status: 'Accepted',
      lineItemCount: 200,
      progress: { moved: 0, failed: 0, total: 200 },
    });
    expect(answer).not.toHaveProperty('lineItems');
  });
});
