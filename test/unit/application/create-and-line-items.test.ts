// Create and set line items against in-memory ports: retries after a crash and the race with a submit.
import { describe, expect, it } from 'vitest';
import { CUSTOMER_ID, TARGET } from '#test/unit/domain/fixtures.ts';
import {
  actionOn,
  activeTransfer,
  auditOperations,
  beforeNext,
  claimOf,
  crashAtCall,
  createRequest,
  SOURCE_ADMIN,
  TARGET_ADMIN,
  world,
} from './fixtures.ts';

/** The marks of PATCH attempts that may hold claims outside the stored line items (see set-line-items.ts). */
const claimsInFlight = (w: ReturnType<typeof world>, transferId: string) =>
  w.storage.transfers.byId.get(transferId)?.claimsInFlight.size;

const create = (w: ReturnType<typeof world>, request = createRequest) =>
  w.useCases.create({ caller: TARGET_ADMIN, customerId: CUSTOMER_ID, request, requestId: 'request-1' });

describe('create', () => {
  it('a crash after the transfer is stored is completed by the retry with the same MS-RequestId', async () => {
    const w = world();
    w.workflow.failNext = 'start';
    await expect(create(w)).rejects.toThrow('simulated crash at start');
    expect(w.storage.transfers.byId.size).toBe(1);
    expect(w.workflow.started).toEqual([]);

    const retry = await create(w);
    expect(retry.created).toBe(false);
    expect(w.storage.transfers.byId.size).toBe(1);
    expect(w.workflow.started).toEqual([retry.transfer.id]);
    expect(auditOperations(w, retry.transfer.id, TARGET.tenantId)).toEqual(['TransferCreated']);
  });

  it('the same MS-RequestId with another body is refused, and nothing is written', async () => {
    const w = world();
    const first = await create(w);
    await expect(
      create(w, { ...createRequest, customerEmailId: 'other@customer.example' }),
    ).rejects.toMatchObject({
      statusCode: 422,
      code: 'RequestIdReused',
    });
    expect(w.storage.transfers.byId.size).toBe(1);
    expect(w.workflow.started).toEqual([first.transfer.id]);
  });
});

describe('set line items', () => {
  it('claims the wanted subscriptions and releases those dropped', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
    const changed = await w.useCases.setLineItems({
      ...actionOn(transfer),
      lineItems: [{ subscriptionId: 'sub-2' }],
    });
    expect(changed.lineItems.map((item) => item.subscriptionId)).toEqual(['sub-2']);
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1'), claimOf(w, 'sub-2')]).toEqual([
      undefined,
      undefined,
      transfer.id,
    ]);
  });

  it('marks the header before its first claim and removes the mark in the write that stores the line items', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    const marksAtClaim: (number | undefined)[] = [];
    beforeNext(w.storage.subscriptions, 'claimForTransfer', async () => {
      marksAtClaim.push(claimsInFlight(w, transfer.id));
    });
    await w.useCases.setLineItems({ ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-1' }] });
    expect(marksAtClaim).toEqual([1]);
    expect(claimsInFlight(w, transfer.id)).toBe(0);
  });

  it('a crash after the claims, before the line items are stored: the retry stores them, no claim is left over', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    crashAtCall(w.storage.transfers, 'replaceLineItems');
    const request = { ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-1' }] };
    await expect(w.useCases.setLineItems(request)).rejects.toThrow('simulated crash');

    const retried = await w.useCases.setLineItems(request);
    expect(retried.lineItems.map((item) => item.subscriptionId)).toEqual(['sub-1']);
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([undefined, transfer.id]);
    expect(claimsInFlight(w, transfer.id)).toBe(0);
  });

  it('killed between its claims and storing them (no repair either): its mark stays, the retry does not remove it', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    crashAtCall(w.storage.transfers, 'replaceLineItems');
    crashAtCall(w.storage.transfers, 'get', 2); // the repair's read (after the PATCH's own): the process is gone
    const request = { ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-1' }] };
    await expect(w.useCases.setLineItems(request)).rejects.toThrow('simulated crash');
    // sub-1 claimed outside the stored line items (still sub-0, whose claim was released as dropped).
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([undefined, transfer.id]);
    expect(claimsInFlight(w, transfer.id)).toBe(1);

    await w.useCases.setLineItems(request);
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([undefined, transfer.id]);
    // The retry removes its own mark only: the killed attempt's stays, so the close step still searches.
    expect(claimsInFlight(w, transfer.id)).toBe(1);
  });

  it('a transfer that left Active since it was read is refused before anything is claimed or marked', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    beforeNext(w.storage.transfers, 'markClaimsInFlight', () =>
      w.useCases.cancel(actionOn(transfer, TARGET_ADMIN)),
    );
    await expect(
      w.useCases.setLineItems({ ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-1' }] }),
    ).rejects.toMatchObject({ code: 'TransferTerminal' });
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([undefined, undefined]);
    expect(claimsInFlight(w, transfer.id)).toBe(0);
  });

  it('a submit that wins before the line items are stored: 409 TransferNotActive, claims follow the accepted items', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
    beforeNext(w.storage.transfers, 'replaceLineItems', () => w.useCases.submit(actionOn(transfer)));

    await expect(
      w.useCases.setLineItems({ ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-2' }] }),
    ).rejects.toMatchObject({ code: 'TransferNotActive' });

    const stored = await w.storage.transfers.get(CUSTOMER_ID, transfer.id);
    expect(stored?.status).toBe('Accepted');
    expect(stored?.lineItems.map((item) => item.subscriptionId)).toEqual(['sub-0', 'sub-1']);
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1'), claimOf(w, 'sub-2')]).toEqual([
      transfer.id,
      transfer.id,
      undefined,
    ]);
    // Its claims are back in line with the stored transfer: its mark is gone too.
    expect(claimsInFlight(w, transfer.id)).toBe(0);
  });

  it('a subscription another open transfer holds is refused per item, and no claim of this request stays', async () => {
    const w = world();
    const other = await activeTransfer(w, ['sub-0']);
    const { transfer } = await w.useCases.create({
      caller: TARGET_ADMIN,
      customerId: CUSTOMER_ID,
      request: createRequest,
    });
    await expect(
      w.useCases.setLineItems({
        caller: SOURCE_ADMIN,
        customerId: CUSTOMER_ID,
        transferId: transfer.id,
        lineItems: [{ subscriptionId: 'sub-1' }, { subscriptionId: 'sub-0' }],
      }),
    ).rejects.toMatchObject({
      code: 'LineItemsRefused',
      details: [expect.objectContaining({ code: 'SubscriptionInOpenTransfer', target: 'sub-0' })],
    });
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([other.id, undefined]);
    expect(claimsInFlight(w, transfer.id)).toBe(0);
  });
});
