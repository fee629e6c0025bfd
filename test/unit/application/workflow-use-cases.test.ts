// The workflow's use cases against in-memory ports: expiry racing a submit, and a crash between the writes of a
// move and of a finalisation, each completed by the retry the state machine makes.

import { describe, expect, it } from 'vitest';
import { closeUnacceptedTransfer } from '#application/close-unaccepted-transfer.ts';
import { expireTransfer } from '#application/expire-transfer.ts';
import { finaliseTransfer } from '#application/finalise-transfer.ts';
import { moveLineItem } from '#application/move-line-item.ts';
import { recordLineItemFailure } from '#application/record-line-item-failure.ts';
import { startMoving } from '#application/start-moving.ts';
import { RepositorySubscriptionMover } from '#application/subscription-mover.ts';
import type { Transfer } from '#domain/model.ts';
import { CUSTOMER_ID, DAY_MS, SOURCE, TARGET } from '#test/unit/domain/fixtures.ts';
import {
  actionOn,
  activeTransfer,
  auditOperations,
  beforeNext,
  claimOf,
  countStorageCalls,
  crashAtCall,
  TARGET_ADMIN,
  type World,
  world,
} from './fixtures.ts';

async function movingTransfer(w: World, subscriptionIds: readonly string[]) {
  const transfer = await activeTransfer(w, subscriptionIds);
  await w.useCases.submit(actionOn(transfer));
  const key = { customerId: CUSTOMER_ID, transferId: transfer.id };
  const { lineItemIds } = await startMoving(w.deps, key);
  return { transfer, key, lineItemIds };
}

const withMover = (w: World) => ({
  ...w.deps,
  mover: new RepositorySubscriptionMover(w.storage.subscriptions),
});

describe('expire', () => {
  it('loses to a submit that wins first: no-longer-active, the transfer stays Accepted', async () => {
    const clock = { offsetMs: 60_000 };
    const w = world(3, clock);
    const transfer = await activeTransfer(w, ['sub-0']);
    const key = { customerId: CUSTOMER_ID, transferId: transfer.id };
    // The submit read the transfer while the window was open; the expiry runs after it closed.
    beforeNext(w.storage.transfers, 'changeStatus', async () => {
      clock.offsetMs = 60_000;
      await w.useCases.submit(actionOn(transfer));
      clock.offsetMs = 31 * DAY_MS;
    });
    clock.offsetMs = 31 * DAY_MS;
    expect(await expireTransfer(w.deps, key)).toMatchObject({
      outcome: 'no-longer-active',
      status: 'Accepted',
    });
    expect((await w.storage.transfers.get(CUSTOMER_ID, transfer.id))?.status).toBe('Accepted');
    expect(auditOperations(w, transfer.id, TARGET.tenantId)).not.toContain('TransferExpired');
  });

  it('within the window answers not-yet-expired and writes nothing', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    const key = { customerId: CUSTOMER_ID, transferId: transfer.id };
    expect(await expireTransfer(w.deps, key)).toMatchObject({ outcome: 'not-yet-expired', status: 'Active' });
  });
});

describe('move item', () => {
  it('a crash after the subscription moved: the retry completes the item without moving it again', async () => {
    const w = world();
    const { key, lineItemIds } = await movingTransfer(w, ['sub-0']);
    const item = { ...key, lineItemId: lineItemIds[0] ?? '' };
    const versionBefore = w.storage.subscriptions.byId.get('sub-0')?.version ?? 0;
    // The move's first write (InProgress) succeeds, the subscription moves, then the Complete write crashes.
    crashAtCall(w.storage.transfers, 'updateLineItem', 2);
    await expect(moveLineItem(withMover(w), item)).rejects.toThrow('simulated crash');
    expect(w.storage.subscriptions.byId.get('sub-0')?.billingPartnerTenantId).toBe(TARGET.tenantId);

    const retried = await moveLineItem(withMover(w), item);
    expect(retried).toMatchObject({ status: 'Complete', alreadyMoved: true, attempts: 2 });
    expect(w.storage.subscriptions.byId.get('sub-0')?.version).toBe(versionBefore + 1);
  });

  it('a failure recorded after the item completed changes nothing', async () => {
    const w = world();
    const { key, lineItemIds } = await movingTransfer(w, ['sub-0']);
    const item = { ...key, lineItemId: lineItemIds[0] ?? '' };
    await moveLineItem(withMover(w), item);
    const recorded = await recordLineItemFailure(w.deps, {
      ...item,
      error: { code: 'PermanentMoveError', description: 'late duplicate' },
    });
    expect(recorded.status).toBe('Complete');
    const stored = await w.storage.transfers.get(CUSTOMER_ID, key.transferId);
    expect(stored?.lineItems[0]).toMatchObject({ status: 'Complete' });
    expect(stored?.lineItems[0]?.transferError).toBeUndefined();
  });
});

describe('finalise', () => {
  it('a crash after the status change: the retry releases the failed item claim and audits the completion', async () => {
    const w = world();
    const { key, lineItemIds } = await movingTransfer(w, ['sub-0', 'sub-1']);
    const [moved = '', failed = ''] = lineItemIds;
    await moveLineItem(withMover(w), { ...key, lineItemId: moved });
    await recordLineItemFailure(w.deps, {
      ...key,
      lineItemId: failed,
      error: { code: 'PermanentMoveError', description: 'the subscription changed hands' },
    });
    crashAtCall(w.storage.audit, 'append');
    await expect(finaliseTransfer(w.deps, key)).rejects.toThrow('simulated crash');
    expect((await w.storage.transfers.get(CUSTOMER_ID, key.transferId))?.status).toBe('CompletedWithErrors');

    const retried = await finaliseTransfer(w.deps, key);
    expect(retried).toMatchObject({
      status: 'CompletedWithErrors',
      moved: 1,
      failed: 1,
      failedLineItemIds: [failed],
    });
    expect(claimOf(w, 'sub-1')).toBeUndefined();
    for (const party of [SOURCE, TARGET]) {
      expect(auditOperations(w, key.transferId, party.tenantId)).toContain('TransferCompleted');
    }
  });
});

/** A PATCH of `subscriptionIds` killed after its claims: neither its store nor its repair ran (see set-line-items.ts). */
async function patchKilledAfterClaims(w: World, transfer: Transfer, subscriptionIds: readonly string[]) {
  crashAtCall(w.storage.transfers, 'replaceLineItems');
  crashAtCall(w.storage.transfers, 'get', 2); // the repair's read, after the PATCH's own
  await expect(
    w.useCases.setLineItems({
      ...actionOn(transfer),
      lineItems: subscriptionIds.map((subscriptionId) => ({ subscriptionId })),
    }),
  ).rejects.toThrow('simulated crash');
}

describe('close steps and claims outside the line items', () => {
  it('CloseUnaccepted releases the line items without searching the customer when no PATCH is in flight', async () => {
    const w = world(5);
    const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
    await w.useCases.setLineItems({ ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-2' }] });
    await w.useCases.cancel(actionOn(transfer, TARGET_ADMIN));
    const calls = countStorageCalls(w);
    const closed = await closeUnacceptedTransfer(w.deps, {
      customerId: CUSTOMER_ID,
      transferId: transfer.id,
    });
    expect(calls.get('subscriptions.claimedBy')).toBeUndefined();
    // One release per line item (the cancel released them already, so none is left to release here).
    expect(calls.get('subscriptions.releaseClaim')).toBe(1);
    expect(closed.releasedClaims).toBe(0);
    expect([0, 1, 2].map((i) => claimOf(w, `sub-${i}`))).toEqual([undefined, undefined, undefined]);
  });

  it('Finalise makes no customer-wide search when no PATCH is in flight', async () => {
    const w = world(5);
    const { key, lineItemIds } = await movingTransfer(w, ['sub-0', 'sub-1']);
    for (const lineItemId of lineItemIds) await moveLineItem(withMover(w), { ...key, lineItemId });
    const calls = countStorageCalls(w);
    expect(await finaliseTransfer(w.deps, key)).toMatchObject({ status: 'Complete', moved: 2 });
    expect(calls.get('subscriptions.claimedBy')).toBeUndefined();
    expect(calls.get('subscriptions.releaseClaim')).toBeUndefined();
  });

  it('a PATCH killed between claiming and storing: CloseUnaccepted still releases the claim it left', async () => {
    const w = world(5);
    const transfer = await activeTransfer(w, ['sub-0']);
    await patchKilledAfterClaims(w, transfer, ['sub-0', 'sub-3']);
    expect(claimOf(w, 'sub-3')).toBe(transfer.id);
    await w.useCases.cancel(actionOn(transfer, TARGET_ADMIN));
    expect(claimOf(w, 'sub-3')).toBe(transfer.id); // the cancel releases the line items only
    const calls = countStorageCalls(w);
    const closed = await closeUnacceptedTransfer(w.deps, {
      customerId: CUSTOMER_ID,
      transferId: transfer.id,
    });
    expect(calls.get('subscriptions.claimedBy')).toBe(1);
    expect(closed.releasedClaims).toBe(1);
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-3')]).toEqual([undefined, undefined]);
  });

  it('a PATCH killed between claiming and storing: Finalise still releases the claim it left', async () => {
    const w = world(5);
    const transfer = await activeTransfer(w, ['sub-0']);
    await patchKilledAfterClaims(w, transfer, ['sub-0', 'sub-3']);
    await w.useCases.submit(actionOn(transfer));
    const key = { customerId: CUSTOMER_ID, transferId: transfer.id };
    const { lineItemIds } = await startMoving(w.deps, key);
    expect(lineItemIds).toHaveLength(1);
    for (const lineItemId of lineItemIds) await moveLineItem(withMover(w), { ...key, lineItemId });
    expect(claimOf(w, 'sub-3')).toBe(transfer.id);
    const calls = countStorageCalls(w);
    expect(await finaliseTransfer(w.deps, key)).toMatchObject({ status: 'Complete', moved: 1 });
    expect(calls.get('subscriptions.claimedBy')).toBe(1);
    expect(claimOf(w, 'sub-3')).toBeUndefined();
    expect(w.storage.subscriptions.byId.get('sub-0')?.billingPartnerTenantId).toBe(TARGET.tenantId);
  });
});
