// The real ASL (through the loader) in the local engine, retry pauses 0, with sandbox fault injection: every line item
// retries on its own until it moves, a permanent failure stays with its item, and nothing moves twice. Assertions
// read both the execution history (over the Step Functions API) and the stored data.
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferWorkflow } from '#adapters/transfer-workflow.ts';
import { transferProgress } from '#domain/progress.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  acceptanceToken,
  createTransferFixture,
  emailsTo,
  executionArnOf,
  executionHistory,
  failureMessage,
  finishedExecution,
  sentEmails,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  taskPayload,
  transferWorkflow,
} from './support.ts';

const PERMANENTLY_BROKEN = 'sub-permanent-fault-0001';
const FLAKY_TWICE = 'sub-flaky-twice-0001';

let cloud: TestCloud;
let client: SFNClient;
let workflow: TransferWorkflow;

beforeAll(async () => {
  cloud = await startTestCloud({
    moveFaults: `transient:0.3; permanent:${PERMANENTLY_BROKEN}; transient-times:${FLAKY_TWICE}=2`,
  });
  client = sfnClient(cloud);
  workflow = transferWorkflow(cloud, client);
});

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

/** Starts the workflow, waits for the acceptance wait, submits, and waits for the execution to end. */
async function runAcceptedTransfer(fixture: TransferFixture) {
  const { transfer } = fixture;
  await workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });
  await acceptanceToken(cloud.storage, transfer);
  expect(await submitDirectly(cloud.storage, workflow, transfer)).toBe('resumed');
  const executionArn = executionArnOf(transfer.id);
  const execution = await finishedExecution(client, executionArn);
  const history = await executionHistory(client, executionArn);
  const stored = await cloud.storage.transfers.get(transfer.customerTenantId, transfer.id);
  if (!stored) throw new Error('transfer disappeared');
  return { execution, history, stored };
}

const isMoveTask = (event: HistoryEvent) =>
  event.type === 'TaskScheduled' &&
  JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}').FunctionName?.endsWith('moveLineItem');

/** Per subscription: transient failures and successful moves of the MoveLineItem task, from the history. */
function moveOutcomes(history: readonly HistoryEvent[], fixture: TransferFixture) {
  const bySubscription = new Map(
    fixture.subscriptions.map((item) => [
      item.subscriptionId,
      { transientFailures: 0, moves: 0, alreadyMoved: 0 },
    ]),
  );
  for (const event of history) {
    if (event.type === 'TaskFailed' && event.taskFailedEventDetails?.error === 'TransientMoveError') {
      const message = failureMessage(event);
      const subscriptionId = [...bySubscription.keys()].find((id) => message.includes(id));
      if (!subscriptionId) throw new Error(`A transient failure names no subscription: ${message}`);
      (bySubscription.get(subscriptionId) as { transientFailures: number }).transientFailures += 1;
    }
    const payload = event.type === 'TaskSucceeded' ? taskPayload(event) : undefined;
    if (payload && typeof payload.subscriptionId === 'string' && 'alreadyMoved' in payload) {
      const entry = bySubscription.get(payload.subscriptionId);
      if (!entry) throw new Error(`A move of an unknown subscription: ${payload.subscriptionId}`);
      if (payload.alreadySettled === false) entry.moves += 1;
      if (payload.alreadyMoved === true) entry.alreadyMoved += 1;
    }
  }
  return bySubscription;
}

describe('moving line items', () => {
  it('moves 50 line items with 30% transient failures: all complete, each moved exactly once', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 50 });
    const { execution, history, stored } = await runAcceptedTransfer(fixture);

    expect(execution.status).toBe('SUCCEEDED');
    expect(stored.status).toBe('Complete');
    expect(stored.completedTime).toBeDefined();
    expect(transferProgress(stored)).toEqual({ moved: 50, failed: 0, total: 50 });

    // History: 50 moves scheduled at least once each; the transient failures were retried per item.
    expect(history.filter(isMoveTask).length).toBeGreaterThanOrEqual(50);
    const outcomes = moveOutcomes(history, fixture);
    const totalTransient = [...outcomes.values()].reduce((sum, entry) => sum + entry.transientFailures, 0);
    expect(totalTransient).toBeGreaterThan(0);
    for (const item of stored.lineItems) {
      const outcome = outcomes.get(item.subscriptionId);
      expect(outcome, item.subscriptionId).toEqual({
        transientFailures: expect.any(Number),
        moves: 1,
        alreadyMoved: 0,
      });
      // Every attempt counted on the item: one per transient failure, plus the one that moved it.
      expect(item.status).toBe('Complete');
      expect(item.attempts).toBe((outcome?.transientFailures ?? 0) + 1);
      expect(item.completedTime).toBeDefined();
      expect(item.transferError).toBeUndefined();
    }
    expect(
      history.some(
        (event) =>
          event.type === 'TaskFailed' && event.taskFailedEventDetails?.error === 'PermanentMoveError',
      ),
    ).toBe(false);

    // Data: each subscription has exactly one owner, the target, and was written by exactly one move
    // (version 1 when seeded, +1 for the claim, +1 for the move).
    const subscriptions = await cloud.storage.subscriptions.getMany(
      fixture.transfer.customerTenantId,
      fixture.subscriptions.map((item) => item.subscriptionId),
    );
    expect(subscriptions).toHaveLength(50);
    for (const subscription of subscriptions) {
      expect(subscription.billingPartnerTenantId).toBe(fixture.target.tenantId);
      expect(subscription.movedByTransferId).toBe(fixture.transfer.id);
      expect(subscription.openTransferId).toBeUndefined();
      expect(subscription.version).toBe(3);
    }
    const sourceStillBills = await cloud.storage.subscriptions.listByBillingPartner(fixture.source.tenantId);
    expect(sourceStillBills.items).toEqual([]);

    // Audit: the source's acceptance and the completion for both partners.
    const sourceAudit = await cloud.storage.audit.list(fixture.source.tenantId, {
      transferId: fixture.transfer.id,
    });
    const targetAudit = await cloud.storage.audit.list(fixture.target.tenantId, {
      transferId: fixture.transfer.id,
    });
    expect(sourceAudit.items.map((record) => record.operation).sort()).toEqual([
      'TransferAccepted',
      'TransferCompleted',
    ]);
    expect(targetAudit.items.map((record) => record.operation).sort()).toEqual([
      'TransferCompleted',
      'TransferCreated',
    ]);

    // Completion emails: one to each party.
    const emails = await sentEmails(cloud);
    for (const address of [
      ...fixture.source.adminEmails,
      ...fixture.target.adminEmails,
      fixture.transfer.customerEmailId,
    ]) {
      const completion = emailsTo(emails, address).filter((email) =>
        email.subject.startsWith('Transfer complete'),
      );
      expect(completion, address).toHaveLength(1);
    }
  });

  it('a permanent failure fails only its line item; the transfer ends CompletedWithErrors naming it', async () => {
    const fixture = await createTransferFixture(cloud.storage, {
      items: 5,
      subscriptionIds: [PERMANENTLY_BROKEN, FLAKY_TWICE],
    });
    const { execution, history, stored } = await runAcceptedTransfer(fixture);

    expect(execution.status).toBe('SUCCEEDED');
    expect(stored.status).toBe('CompletedWithErrors');
    expect(transferProgress(stored)).toEqual({ moved: 4, failed: 1, total: 5 });
    const [broken, flaky, ...others] = stored.lineItems;
    expect(broken).toMatchObject({
      subscriptionId: PERMANENTLY_BROKEN,
      status: 'Failed',
      attempts: 1,
      transferError: { code: 'PermanentMoveError', description: expect.stringContaining(PERMANENTLY_BROKEN) },
    });
    expect(broken?.completedTime).toBeUndefined();
    expect(flaky).toMatchObject({ subscriptionId: FLAKY_TWICE, status: 'Complete' });
    expect(flaky?.attempts).toBeGreaterThanOrEqual(3);
    for (const item of others) expect(item.status).toBe('Complete');

    // History: the permanent error was caught inside its item and recorded, never retried.
    const permanentFailures = history.filter(
      (event) => event.type === 'TaskFailed' && event.taskFailedEventDetails?.error === 'PermanentMoveError',
    );
    expect(permanentFailures).toHaveLength(1);
    expect(failureMessage(permanentFailures[0] as HistoryEvent)).toContain(PERMANENTLY_BROKEN);
    const outcomes = moveOutcomes(history, fixture);
    expect(outcomes.get(FLAKY_TWICE)?.transientFailures).toBeGreaterThanOrEqual(2);
    const finalised = history
      .filter((event) => event.type === 'TaskSucceeded')
      .map(taskPayload)
      .find((payload) => payload && 'failedLineItemIds' in payload);
    expect(finalised).toMatchObject({
      status: 'CompletedWithErrors',
      failedLineItemIds: [broken?.id],
      moved: 4,
    });
    expect(history.at(-1)?.type).toBe('ExecutionSucceeded');

    // The failed subscription stays with the source and is free again; the others moved.
    const failedSubscription = await cloud.storage.subscriptions.get(
      fixture.transfer.customerTenantId,
      PERMANENTLY_BROKEN,
    );
    expect(failedSubscription?.billingPartnerTenantId).toBe(fixture.source.tenantId);
    expect(failedSubscription?.openTransferId).toBeUndefined();
    const moved = await cloud.storage.subscriptions.get(fixture.transfer.customerTenantId, FLAKY_TWICE);
    expect(moved?.billingPartnerTenantId).toBe(fixture.target.tenantId);

    const completion = await cloud.storage.audit.list(fixture.target.tenantId, {
      transferId: fixture.transfer.id,
    });
    expect(
      completion.items.find((record) => record.operation === 'TransferCompleted')?.details,
    ).toMatchObject({
      status: 'CompletedWithErrors',
      failed: 1,
      failedLineItemIds: broken?.id,
    });
  });
});
