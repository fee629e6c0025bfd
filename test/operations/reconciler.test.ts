// The reconciler on the local cloud: each way a transfer's stored status and its workflow can disagree is broken on
// purpose, one reconciler run repairs them all (with audit entries), and a second run changes nothing.
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferExecutionName } from '#adapters/transfer-workflow.ts';
import type { OperationsDependencies } from '#operations/repair-transfer.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  acceptanceToken,
  createTransferFixture,
  eventually,
  executionArnOf,
  finishedExecution,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  transferWorkflow,
} from '#test/workflow/support.ts';
import {
  auditOperations,
  leaveLineItemInProgress,
  markAccepted,
  markInProgress,
  operationsDependencies,
  runReconciler,
  startAndStopWorkflow,
  startWorkflowUntilWaiting,
} from './support.ts';

let cloud: TestCloud;
let client: SFNClient;
let deps: OperationsDependencies;

beforeAll(async () => {
  delete process.env.SANDBOX_MOVE_FAULTS;
  cloud = await startTestCloud();
  client = sfnClient(cloud);
  deps = operationsDependencies(cloud, client);
});

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

const HOUR_MS = 3_600_000;

async function statusOf({ transfer }: TransferFixture) {
  return (await cloud.storage.transfers.get(transfer.customerTenantId, transfer.id))?.status;
}

async function completedEventually(fixture: TransferFixture) {
  return eventually(async () => {
    const status = await statusOf(fixture);
    return status === 'Complete' || status === 'CompletedWithErrors' ? status : undefined;
  });
}

describe('the reconciler', () => {
  it('repairs every kind of stuck transfer in one run, audited, and a second run changes nothing', async () => {
    const storage = cloud.storage;
    // 1. Waiting for acceptance, but its execution was stopped.
    const stopped = await createTransferFixture(storage);
    await startAndStopWorkflow(cloud, client, stopped);
    // 2. Created, but its execution was never started (a crash between the create and StartExecution).
    const missing = await createTransferFixture(storage);
    // 3. InProgress, one item left InProgress by a crashed move task, and the execution gone.
    const crashed = await createTransferFixture(storage);
    await startAndStopWorkflow(cloud, client, crashed);
    await markInProgress(storage, crashed, new Date());
    await leaveLineItemInProgress(storage, crashed, '0');
    // 4. Active past its expiration time with no workflow to expire it.
    const expired = await createTransferFixture(storage, { acceptanceWindowDays: 1 / 1440 });
    // 5. InProgress longer than the 72 h move window.
    const overdue = await createTransferFixture(storage);
    await markInProgress(storage, overdue, new Date(Date.now() - 73 * HOUR_MS));

    const first = await runReconciler(deps);
    const byTransfer = new Map(first.repaired.map((entry) => [entry.transferId, entry]));
    expect(first.unrepairable).toEqual([]);
    expect(byTransfer.get(stopped.transfer.id)).toMatchObject({
      reason: 'workflow-ended',
      repair: 'restart-workflow',
    });
    expect(byTransfer.get(missing.transfer.id)).toMatchObject({
      reason: 'workflow-missing',
      repair: 'restart-workflow',
    });
    expect(byTransfer.get(crashed.transfer.id)).toMatchObject({
      reason: 'workflow-ended',
      repair: 'restart-workflow',
    });
    expect(byTransfer.get(expired.transfer.id)).toMatchObject({
      reason: 'acceptance-window-passed',
      repair: 'expire',
    });
    expect(byTransfer.get(overdue.transfer.id)).toMatchObject({
      reason: 'move-window-passed',
      repair: 'finalise',
    });

    // The restarted workflows continue from where the transfers stand.
    for (const fixture of [stopped, missing]) {
      const header = await storage.transfers.getHeader(
        fixture.transfer.customerTenantId,
        fixture.transfer.id,
      );
      expect(header?.workflowRun).toBe(1);
      const execution = await deps.executions.describe(fixture.transfer.id, 1);
      expect(execution?.name).toBe(transferExecutionName(fixture.transfer.id, 1));
    }
    const stoppedToken = await acceptanceToken(storage, stopped.transfer);
    expect(stoppedToken).toBeDefined();
    expect(await completedEventually(crashed)).toBe('Complete');
    const movedOnce = await storage.subscriptions.getMany(
      crashed.transfer.customerTenantId,
      crashed.subscriptions.map((subscription) => subscription.subscriptionId),
    );
    for (const subscription of movedOnce) {
      expect(subscription).toMatchObject({
        billingPartnerTenantId: crashed.target.tenantId,
        movedByTransferId: crashed.transfer.id,
        version: 3, // seeded, claimed, moved: exactly one move
      });
    }
    expect(await statusOf(expired)).toBe('Expired');
    const released = await storage.subscriptions.getMany(
      expired.transfer.customerTenantId,
      expired.subscriptions.map((subscription) => subscription.subscriptionId),
    );
    expect(released.every((subscription) => subscription.openTransferId === undefined)).toBe(true);
    expect(await statusOf(overdue)).toBe('CompletedWithErrors');
    const overdueItems = (await storage.transfers.get(overdue.transfer.customerTenantId, overdue.transfer.id))
      ?.lineItems;
    expect(overdueItems?.map((item) => [item.status, item.transferError?.code])).toEqual([
      ['Failed', 'MoveWindowPassed'],
      ['Failed', 'MoveWindowPassed'],
      ['Failed', 'MoveWindowPassed'],
    ]);

    // Every repair is in both partners' audit logs.
    expect(await auditOperations(storage, stopped)).toContain('TransferRepaired:restart-workflow');
    expect(await auditOperations(storage, missing)).toContain('TransferRepaired:restart-workflow');
    expect(await auditOperations(storage, crashed)).toContain('TransferRepaired:restart-workflow');
    expect(await auditOperations(storage, expired)).toEqual(
      expect.arrayContaining(['TransferExpired', 'TransferRepaired:expire']),
    );
    expect(await auditOperations(storage, overdue)).toEqual(
      expect.arrayContaining(['TransferCompleted', 'TransferRepaired:finalise']),
    );

    // A second run finds nothing to change: no repair, no new audit entry.
    const auditBefore = await Promise.all(
      [stopped, missing, crashed, expired, overdue].map((fixture) => auditOperations(storage, fixture)),
    );
    const second = await runReconciler(deps);
    expect(second.repaired).toEqual([]);
    expect(second.unrepairable).toEqual([]);
    const auditAfter = await Promise.all(
      [stopped, missing, crashed, expired, overdue].map((fixture) => auditOperations(storage, fixture)),
    );
    expect(auditAfter).toEqual(auditBefore);

    // The restarted wait is a real one: the source's submit completes the transfer.
    expect((await submitDirectly(storage, transferWorkflow(cloud, client), stopped)).status).toBe('Accepted');
    expect(await completedEventually(stopped)).toBe('Complete');
  });

  it('resumes the acceptance wait of a transfer a submit accepted without resuming it, once', async () => {
    const storage = cloud.storage;
    // The submit changed the status and died before SendTaskSuccess and the audit entry (the reconciler's clock runs
    // 10 minutes ahead, past the grace period; diagnose.test.ts covers a submit still in flight).
    const accepted = await createTransferFixture(storage);
    await startWorkflowUntilWaiting(cloud, client, accepted);
    await markAccepted(storage, accepted, new Date());

    const report = await runReconciler(deps);
    const byTransfer = new Map(report.repaired.map((entry) => [entry.transferId, entry]));
    expect(byTransfer.get(accepted.transfer.id)).toMatchObject({
      reason: 'acceptance-not-resumed',
      repair: 'resume-workflow',
    });

    // The workflow moves the items and completes; the acceptance and the repair are audited once each.
    expect(await completedEventually(accepted)).toBe('Complete');
    expect((await finishedExecution(client, executionArnOf(accepted.transfer.id))).status).toBe('SUCCEEDED');
    const operations = await auditOperations(storage, accepted, 'source');
    expect(operations.filter((operation) => operation === 'TransferAccepted')).toHaveLength(1);
    expect(operations.filter((operation) => operation === 'TransferRepaired:resume-workflow')).toHaveLength(
      1,
    );
    const second = await runReconciler(deps);
    expect(second.repaired.map((entry) => entry.transferId)).not.toContain(accepted.transfer.id);
  });

  it('ends what still runs of a transfer it repairs: the wait of one it expires, the execution of one it finalises', async () => {
    const storage = cloud.storage;
    // Active past its acceptance window while its wait still runs (a wait that stalled).
    const waiting = await createTransferFixture(storage, { acceptanceWindowDays: 1 / 1440 });
    await startWorkflowUntilWaiting(cloud, client, waiting);
    // InProgress past the move window while its execution still runs.
    const running = await createTransferFixture(storage);
    await startWorkflowUntilWaiting(cloud, client, running);
    await markInProgress(storage, running, new Date(Date.now() - 73 * HOUR_MS));

    const report = await runReconciler(deps);
    const byTransfer = new Map(report.repaired.map((entry) => [entry.transferId, entry]));
    expect(byTransfer.get(waiting.transfer.id)).toMatchObject({ repair: 'expire' });
    expect(byTransfer.get(running.transfer.id)).toMatchObject({ repair: 'finalise' });

    // The wait was failed at once (SendTaskFailure), not left to time out; the execution was stopped.
    expect(await statusOf(waiting)).toBe('Expired');
    expect((await finishedExecution(client, executionArnOf(waiting.transfer.id))).status).not.toBe('RUNNING');
    expect((await finishedExecution(client, executionArnOf(running.transfer.id))).status).toBe('ABORTED');
    expect(await statusOf(running)).toBe('CompletedWithErrors');
  });
});
