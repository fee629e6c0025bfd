// A move's storage work: with the header's facts StartMoving passed through the Map, a move makes three writes
// (line item InProgress, the subscription, line item Complete) and reads nothing; an execution started before the
// facts were passed still moves, with one header read more. Counted as calls on the storage ports.
import { describe, expect, it } from 'vitest';
import { moveLineItem } from '#application/move-line-item.ts';
import { startMoving } from '#application/start-moving.ts';
import { RepositorySubscriptionMover } from '#application/subscription-mover.ts';
import { CUSTOMER_ID, SOURCE, TARGET } from '#test/unit/domain/fixtures.ts';
import { actionOn, activeTransfer, countStorageCalls, type World, world } from './fixtures.ts';

async function started(w: World) {
  const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
  await w.useCases.submit(actionOn(transfer));
  return startMoving(w.deps, { customerId: CUSTOMER_ID, transferId: transfer.id });
}

const mover = (w: World) => ({ ...w.deps, mover: new RepositorySubscriptionMover(w.storage.subscriptions) });

describe('move', () => {
  it("StartMoving hands every move the header's facts", async () => {
    const w = world();
    const { move, lineItemIds } = await started(w);
    expect(lineItemIds).toHaveLength(2);
    expect(move).toMatchObject({ fromTenantId: SOURCE.tenantId, toTenantId: TARGET.tenantId });
    expect(typeof move.lineItemSet).toBe('number');
  });

  it('with those facts makes three writes and no read', async () => {
    const w = world();
    const { customerId, transferId, lineItemIds, move } = await started(w);
    const calls = countStorageCalls(w);
    const moved = await moveLineItem(mover(w), {
      customerId,
      transferId,
      lineItemId: lineItemIds[0] ?? '',
      move,
    });
    expect(moved).toMatchObject({ status: 'Complete', alreadyMoved: false, attempts: 1 });
    expect(Object.fromEntries(calls)).toEqual({
      'transfers.updateLineItem': 2,
      'subscriptions.moveBillingOwner': 1,
    });
    expect(w.storage.subscriptions.byId.get('sub-0')?.billingPartnerTenantId).toBe(TARGET.tenantId);
  });

  it('without them (an execution started before they were passed) reads the header once more', async () => {
    const w = world();
    const { customerId, transferId, lineItemIds } = await started(w);
    const calls = countStorageCalls(w);
    const moved = await moveLineItem(mover(w), { customerId, transferId, lineItemId: lineItemIds[1] ?? '' });
    expect(moved).toMatchObject({ status: 'Complete', alreadyMoved: false });
    expect(Object.fromEntries(calls)).toEqual({
      'transfers.getHeader': 1,
      'transfers.updateLineItem': 2,
      'subscriptions.moveBillingOwner': 1,
    });
  });
});
