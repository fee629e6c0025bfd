// A transfer's whole life driven through the typed client over HTTP: the target creates, the source checks
// eligibility and accepts the eligible subscriptions, waitForTransfer follows it to Complete, both audit logs agree.
import type { Transfer } from '@partner-transfers/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { seedSubscription } from '#test/workflow/support.ts';
import { CUSTOMER, clientFor, createRequest, SOURCE, TARGET } from './support.ts';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
});

afterAll(async () => {
  await cloud?.stop();
});

describe('the typed client', () => {
  it('create -> eligibility -> accept -> waitForTransfer(Complete) -> audit', async () => {
    const target = clientFor(cloud, TARGET);
    const source = clientFor(cloud, SOURCE);
    const mine = await Promise.all(
      [0, 1].map((index) => seedSubscription(cloud.storage, CUSTOMER, SOURCE, index)),
    );

    expect((await target.getPartner()).tenantId).toBe(TARGET);
    const created = await target.createTransfer(CUSTOMER, createRequest());
    expect(created).toMatchObject({
      status: 'Active',
      sourcePartnerTenantId: SOURCE,
      targetPartnerTenantId: TARGET,
    });

    const inbox = await source.listTransfers({ direction: 'incoming', status: 'Active' }).toArray();
    expect(inbox.map((transfer) => transfer.id)).toContain(created.id);

    const eligibility = await source.listEligibility(CUSTOMER).toArray();
    const eligibleIds = new Set(
      eligibility.filter((entry) => entry.eligible).map((entry) => entry.subscriptionId),
    );
    for (const subscription of mine) expect(eligibleIds).toContain(subscription.subscriptionId);
    const refused = eligibility.filter((entry) => !entry.eligible);
    expect(refused.length).toBeGreaterThan(0);
    for (const entry of refused) expect(entry.errors.length).toBeGreaterThan(0);

    const accepted = await source.acceptTransfer(
      CUSTOMER,
      created.id,
      mine.map((subscription) => subscription.subscriptionId),
    );
    expect(['Accepted', 'InProgress', 'Complete']).toContain(accepted.status);

    const seen: Transfer[] = [];
    const done = await target.waitForTransfer(CUSTOMER, created.id, {
      intervalMs: 20,
      onProgress: (transfer) => seen.push(transfer),
    });
    expect(done.status).toBe('Complete');
    expect(done.progress).toEqual({ moved: 2, failed: 0, total: 2 });
    expect(seen.at(-1)?.status).toBe('Complete');
    expect(seen.length).toBeGreaterThanOrEqual(1);

    const targetAudit = await target.listAuditRecords({ transferId: created.id }).toArray();
    const sourceAudit = await source.listAuditRecords({ transferId: created.id }).toArray();
    expect(targetAudit.map((record) => record.operation)).toContain('TransferCreated');
    expect(sourceAudit.map((record) => record.operation)).toContain('TransferAccepted');
  });

  it('sets the line items, then submits: the answer counts them, waitForTransfer shows them moved', async () => {
    const target = clientFor(cloud, TARGET);
    const source = clientFor(cloud, SOURCE);
    const mine = await Promise.all(
      [2, 3, 4].map((index) => seedSubscription(cloud.storage, CUSTOMER, SOURCE, index)),
    );
    const created = await target.createTransfer(CUSTOMER, createRequest());
    const lineItems = mine.map((subscription) => ({ subscriptionId: subscription.subscriptionId }));
    expect((await source.updateTransfer(CUSTOMER, created.id, { lineItems })).lineItems).toHaveLength(3);

    const submitted = await source.submitTransfer(CUSTOMER, created.id);
    expect(submitted).toMatchObject({
      id: created.id,
      status: 'Accepted',
      lineItemCount: 3,
      progress: { moved: 0, failed: 0, total: 3 },
    });
    expect('lineItems' in submitted).toBe(false);
    const done = await source.waitForTransfer(CUSTOMER, created.id, { intervalMs: 20 });
    expect(done.lineItems.map((item) => item.status)).toEqual(['Complete', 'Complete', 'Complete']);
  });

  it('waits until a given status, and cancels', async () => {
    const target = clientFor(cloud, TARGET);
    const created = await target.createTransfer(CUSTOMER, createRequest());
    const stillActive = await target.waitForTransfer(CUSTOMER, created.id, { until: 'Active' });
    expect(stillActive.status).toBe('Active');

    const canceled = await target.cancelTransfer(CUSTOMER, created.id);
    expect(canceled.status).toBe('Canceled');
    const ended = await target.waitForTransfer(CUSTOMER, created.id, { until: ['Accepted', 'InProgress'] });
    expect(ended.status).toBe('Canceled');
  });

  it('stops waiting when its signal aborts', async () => {
    const target = clientFor(cloud, TARGET);
    const created = await target.createTransfer(CUSTOMER, createRequest());
    const controller = new AbortController();
    const waiting = target.waitForTransfer(CUSTOMER, created.id, {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('enough')),
    });
    await expect(waiting).rejects.toThrow('enough');
  });
});
