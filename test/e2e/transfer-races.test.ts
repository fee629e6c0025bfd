// Concurrent writes over HTTP: exactly one winner per conditional write, clean 409s for the losers, and stored data
// that agrees with the answers.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import type { TestCloud } from '#test/support/local-cloud.ts';
import {
  ACCEPTED_OR_LATER,
  claimOf,
  isClaimedBy,
  SANDBOX_ADMINS,
  seedSubscription,
  startTransferWriteCloud,
  stopWhenWorkflowsAreIdle,
  storedTransfer,
  type TransferApi,
} from './transfer-write-helpers.ts';

const T = SANDBOX_TENANTS;
const WOODGROVE = SANDBOX_CUSTOMERS.woodgrove;
const { contoso: source, fabrikam: target } = SANDBOX_ADMINS;
const PAIRS = 20;

let cloud: TestCloud;
let api: TransferApi;

beforeAll(async () => {
  ({ cloud, api } = await startTransferWriteCloud());
  return () => stopWhenWorkflowsAreIdle(cloud);
});
beforeAll(async () => {
  // Load the submit and cancel handlers before racing them, so neither side starts with a cold start.
  const unknown = randomUUID();
  expect((await api.submit(source, WOODGROVE, unknown)).status).toBe(404);
  expect((await api.cancel(target, WOODGROVE, unknown)).status).toBe(404);
});

async function readyToSubmit() {
  const [created, subscription] = await Promise.all([
    api.create(target, WOODGROVE, T.contoso),
    seedSubscription(cloud, WOODGROVE, T.contoso),
  ]);
  expect(created.status).toBe(201);
  const set = await api.setLineItems(source, WOODGROVE, created.body.id, [
    { subscriptionId: subscription.subscriptionId },
  ]);
  expect(set.status).toBe(200);
  return { transferId: created.body.id, subscription };
}

async function transfersOfWoodgrove() {
  const page = await cloud.storage.transfers.listByCustomer(WOODGROVE, { limit: 1000 });
  return page.items;
}

describe('submit against cancel', () => {
  it(`${PAIRS} concurrent pairs on ${PAIRS} transfers: one winner each, the loser gets 409, storage agrees`, async () => {
    const transfers = await Promise.all(Array.from({ length: PAIRS }, readyToSubmit));

    const outcomes = await Promise.all(
      transfers.map(async ({ transferId, subscription }, index) => {
        // Half the pairs send the cancel first, so that both sides win some of the races.
        const submit = () => api.submit(source, WOODGROVE, transferId);
        const cancel = () => api.cancel(target, WOODGROVE, transferId);
        const [submitted, canceled] =
          index % 2 === 0
            ? await Promise.all([submit(), cancel()])
            : await Promise.all([cancel(), submit()]).then(([c, s]) => [s, c] as const);
        return { transferId, subscription, submitted, canceled };
      }),
    );

    for (const { transferId, subscription, submitted, canceled } of outcomes) {
      // The winner answers 202 (submit) or 200 (cancel), the loser 409.
      const statuses = [submitted.status, canceled.status];
      expect([
        [202, 409],
        [409, 200],
      ]).toContainEqual(statuses);
      const stored = await storedTransfer(cloud, WOODGROVE, transferId);
      if (submitted.status === 202) {
        expect(ACCEPTED_OR_LATER).toContain(stored.status);
        // The losing cancel read the transfer accepted, or (on a slow machine) already moved to its end.
        expect(
          stored.status === 'Complete' ? ['TransferNotActive', 'TransferTerminal'] : ['TransferNotActive'],
        ).toContain(canceled.body.code);
        expect(await isClaimedBy(cloud, subscription, transferId)).toBe(true);
      } else {
        expect(stored.status).toBe('Canceled');
        expect(submitted.body.code).toBe('TransferTerminal');
        expect(canceled.body.status).toBe('Canceled');
        expect(await claimOf(cloud, subscription)).toBeUndefined();
      }
    }
  });
});

describe('the same MS-RequestId', () => {
  it(`${PAIRS} concurrent creates make exactly one transfer; every answer is that transfer or "in progress"`, async () => {
    const requestId = randomUUID();
    const before = new Set((await transfersOfWoodgrove()).map((header) => header.id));

    const answers = await Promise.all(
      Array.from({ length: PAIRS }, () => api.create(target, WOODGROVE, T.contoso, { requestId })),
    );

    const created = (await transfersOfWoodgrove()).filter((header) => !before.has(header.id));
    expect(created).toHaveLength(1);
    const [transfer] = created;
    for (const answer of answers) {
      if (answer.status === 201) {
        expect(answer.body.id).toBe(transfer?.id);
      } else {
        expect([answer.status, answer.body.code]).toEqual([409, 'RequestInProgress']);
        expect(answer.headers.get('retry-after')).toBe('1');
      }
    }
    expect(answers.filter((answer) => answer.status === 201).length).toBeGreaterThanOrEqual(1);
    // Once the first attempt finished, a retry gets its answer.
    const retry = await api.create(target, WOODGROVE, T.contoso, { requestId });
    expect([retry.status, retry.body.id]).toEqual([201, transfer?.id]);
  });
});

describe('claims', () => {
  it('two transfers setting the same subscription at once: one holds it, the other is refused per item', async () => {
    const [first, second] = await Promise.all([
      api.create(target, WOODGROVE, T.contoso),
      api.create(target, WOODGROVE, T.contoso),
    ]);
    const contested = await seedSubscription(cloud, WOODGROVE, T.contoso);
    const answers = await Promise.all(
      [first, second].map((created) =>
        api.setLineItems(source, WOODGROVE, created.body.id, [{ subscriptionId: contested.subscriptionId }]),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
    const loser = answers.find((answer) => answer.status === 422);
    expect(loser?.body.details?.[0]).toMatchObject({
      field: contested.subscriptionId,
      code: 'SubscriptionInOpenTransfer',
    });
    const winner = answers[0]?.status === 200 ? first : second;
    const other = winner === first ? second : first;
    expect(await claimOf(cloud, contested)).toBe(winner.body.id);
    expect((await storedTransfer(cloud, WOODGROVE, winner.body.id)).lineItems).toHaveLength(1);
    expect((await storedTransfer(cloud, WOODGROVE, other.body.id)).lineItems).toHaveLength(0);
  });

  it('concurrent line item updates of one transfer: the stored line items are one of the requests, all claimed', async () => {
    const created = await api.create(target, WOODGROVE, T.contoso);
    const subscriptions = await Promise.all(
      Array.from({ length: 6 }, () => seedSubscription(cloud, WOODGROVE, T.contoso)),
    );
    const requests = [0, 1, 2].map((index) => subscriptions.slice(index * 2, index * 2 + 2));
    const answers = await Promise.all(
      requests.map((items) =>
        api.setLineItems(
          source,
          WOODGROVE,
          created.body.id,
          items.map((subscription) => ({ subscriptionId: subscription.subscriptionId })),
        ),
      ),
    );
    for (const answer of answers) {
      expect([200, 409]).toContain(answer.status);
      if (answer.status === 409) expect(answer.body.code).toBe('ConcurrentModification');
    }
    expect(answers.some((answer) => answer.status === 200)).toBe(true);
    const stored = await storedTransfer(cloud, WOODGROVE, created.body.id);
    const storedIds = stored.lineItems.map((item) => item.subscriptionId);
    expect(requests.map((items) => items.map((subscription) => subscription.subscriptionId))).toContainEqual(
      storedIds,
    );
    for (const subscription of subscriptions) {
      const claim = await claimOf(cloud, subscription);
      expect(claim).toBe(storedIds.includes(subscription.subscriptionId) ? created.body.id : undefined);
    }
  });
});
