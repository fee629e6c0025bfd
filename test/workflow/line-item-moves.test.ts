// The real ASL (through the loader) in the local engine, retry pauses 0, with sandbox fault injection: every line item
// moves in its own child execution of the DISTRIBUTED Map and retries there until it moves, a permanent failure stays
// with its item, nothing moves twice, and the parent's history does not grow with the number of items. Assertions
// read the Map Run, the children and both histories (over the Step Functions API) and the stored data.
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferWorkflow } from '#application/ports.ts';
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
  type MapRunChild,
  mapRunsOf,
  sentEmails,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  taskPayload,
  transferWorkflow,
} from './support.ts';

const PERMANENTLY_BROKEN = 'sub-permanent-fault-0001';
const FLAKY_THRICE = 'sub-flaky-thrice-0001';

let cloud: TestCloud;
let client: SFNClient;
let workflow: TransferWorkflow;

beforeAll(async () => {
  cloud = await startTestCloud({
    moveFaults: `transient:0.3; permanent:${PERMANENTLY_BROKEN}; transient-times:${FLAKY_THRICE}=3`,
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
  expect((await submitDirectly(cloud.storage, workflow, fixture)).status).toBe('Accepted');
  const executionArn = executionArnOf(transfer.id);
  const execution = await finishedExecution(client, executionArn);
  const parentHistory = await executionHistory(client, executionArn);
  const mapRuns = await mapRunsOf(client, executionArn);
  const children = mapRuns.flatMap((mapRun) => mapRun.children);
  const stored = await cloud.storage.transfers.get(transfer.customerTenantId, transfer.id);
  if (!stored) throw new Error('transfer disappeared');
  // Every move event, of every child, in one list (each child's history stays its own).
  const history = children.flatMap((child) => child.history);
  return { execution, parentHistory, mapRuns, children, history, stored };
}

/** The parent records the Map Run, never an item: no task, iteration or retry of a move. */
function expectParentFlat(parentHistory: readonly HistoryEvent[], mapRunArn: string | undefined) {
  const types = parentHistory.map((event) => event.type);
  expect(types.filter((type) => type === 'MapRunStarted')).toHaveLength(1);
  expect(types.filter((type) => type === 'MapRunSucceeded')).toHaveLength(1);
  expect(types.some((type) => type?.startsWith('MapIteration'))).toBe(false);
  expect(parentHistory.filter(isMoveTask)).toEqual([]);
  expect(parentHistory.find((event) => event.type === 'MapRunStarted')?.mapRunStartedEventDetails).toEqual({
    mapRunArn,
  });
}

/** Each child moved exactly one line item of this transfer and succeeded (failures are recorded, not thrown). */
function expectOneChildPerItem(children: readonly MapRunChild[], fixture: TransferFixture) {
  expect(children).toHaveLength(fixture.subscriptions.length);
  const lineItemIds = children.map((child) => {
    expect(child.execution.status).toBe('SUCCEEDED');
    expect(child.history[0]?.type).toBe('ExecutionStarted');
    expect(child.history.at(-1)?.type).toBe('ExecutionSucceeded');
    const input = JSON.parse(child.history[0]?.executionStartedEventDetails?.input ?? '{}');
    expect(input.transferId).toBe(fixture.transfer.id);
    return String(input.lineItemId);
  });
  expect(lineItemIds.sort()).toEqual(fixture.transfer.lineItems.map((item) => item.id).sort());
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
    const { execution, parentHistory, mapRuns, children, history, stored } =
      await runAcceptedTransfer(fixture);

    expect(execution.status).toBe('SUCCEEDED');
    expect(stored.status).toBe('Complete');
    expect(mapRuns).toHaveLength(1);
    expect(mapRuns[0]?.run).toMatchObject({
      status: 'SUCCEEDED',
      executionArn: execution.executionArn,
      maxConcurrency: 10,
      executionCounts: expect.objectContaining({ total: 50, succeeded: 50, failed: 0, running: 0 }),
    });
    expectOneChildPerItem(children, fixture);
    expectParentFlat(parentHistory, mapRuns[0]?.run.mapRunArn);
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
    // (version 1 when seeded, +1 for the claim with the line items, +1 for the move; submit touches none of them).
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
      subscriptionIds: [PERMANENTLY_BROKEN, FLAKY_THRICE],
    });
    const { execution, parentHistory, mapRuns, children, history, stored } =
      await runAcceptedTransfer(fixture);

    expect(execution.status).toBe('SUCCEEDED');
    expect(stored.status).toBe('CompletedWithErrors');
    expect(mapRuns[0]?.run.status).toBe('SUCCEEDED');
    expectOneChildPerItem(children, fixture);
    expectParentFlat(parentHistory, mapRuns[0]?.run.mapRunArn);
    expect(transferProgress(stored)).toEqual({ moved: 4, failed: 1, total: 5 });
    const [broken, flaky, ...others] = stored.lineItems;
    expect(broken).toMatchObject({
      subscriptionId: PERMANENTLY_BROKEN,
      status: 'Failed',
      attempts: 1,
      transferError: { code: 'PermanentMoveError', description: expect.stringContaining(PERMANENTLY_BROKEN) },
    });
    expect(broken?.completedTime).toBeUndefined();
    expect(flaky).toMatchObject({ subscriptionId: FLAKY_THRICE, status: 'Complete' });
    expect(flaky?.attempts).toBeGreaterThanOrEqual(4);
    for (const item of others) expect(item.status).toBe('Complete');

    // History: the permanent error was caught inside its item and recorded, never retried.
    const permanentFailures = history.filter(
      (event) => event.type === 'TaskFailed' && event.taskFailedEventDetails?.error === 'PermanentMoveError',
    );
    expect(permanentFailures).toHaveLength(1);
    expect(failureMessage(permanentFailures[0] as HistoryEvent)).toContain(PERMANENTLY_BROKEN);
    const outcomes = moveOutcomes(history, fixture);
    expect(outcomes.get(FLAKY_THRICE)?.transientFailures).toBeGreaterThanOrEqual(3);
    // Each item's retries are in its own child's history: the broken item's child holds its one failure and the
    // recording of it, the flaky item's child its own transient failures, and no other item's.
    const flakyChildren = children.filter(
      (child) => (moveOutcomes(child.history, fixture).get(FLAKY_THRICE)?.transientFailures ?? 0) > 0,
    );
    expect(flakyChildren).toHaveLength(1);
    const brokenChild = children.find((child) =>
      child.history.some(
        (event) => event.type === 'TaskFailed' && failureMessage(event).includes(PERMANENTLY_BROKEN),
      ),
    );
    expect(
      brokenChild?.history
        .filter((event) => event.type === 'TaskStateEntered')
        .map((event) => event.stateEnteredEventDetails?.name),
    ).toEqual(['MoveLineItem', 'RecordLineItemFailure']);
    const finalised = parentHistory
      .filter((event) => event.type === 'TaskSucceeded')
      .map(taskPayload)
      .find((payload) => payload && 'failedLineItemIds' in payload);
    expect(finalised).toMatchObject({
      status: 'CompletedWithErrors',
      failedLineItemIds: [broken?.id],
      moved: 4,
    });
    expect(parentHistory.at(-1)?.type).toBe('ExecutionSucceeded');

    // The failed subscription stays with the source and is free again; the others moved.
    const failedSubscription = await cloud.storage.subscriptions.get(
      fixture.transfer.customerTenantId,
      PERMANENTLY_BROKEN,
    );
    expect(failedSubscription?.billingPartnerTenantId).toBe(fixture.source.tenantId);
    expect(failedSubscription?.openTransferId).toBeUndefined();
    const moved = await cloud.storage.subscriptions.get(fixture.transfer.customerTenantId, FLAKY_THRICE);
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

  it("the parent's history is the same for 2 and 40 items: every item's events stay in its own child", async () => {
    const small = await runAcceptedTransfer(await createTransferFixture(cloud.storage, { items: 2 }));
    const large = await runAcceptedTransfer(await createTransferFixture(cloud.storage, { items: 40 }));
    expect(small.stored.status).toBe('Complete');
    expect(large.stored.status).toBe('Complete');
    expect(large.children).toHaveLength(40);
    const shape = (history: readonly HistoryEvent[]) =>
      history.map((event) => `${event.type} ${event.stateEnteredEventDetails?.name ?? ''}`);
    expect(shape(large.parentHistory)).toEqual(shape(small.parentHistory));
    // The items' own events grow with N, in the children.
    expect(large.history.length).toBeGreaterThan(small.history.length * 10);
  });
});
