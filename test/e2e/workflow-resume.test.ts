// Resuming after a restart: the local cloud keeps its data in a folder; transfers that were in flight when it stopped
// get a new execution when it starts again on that folder, and the workflow picks up where the data says it is.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import {
  SANDBOX_CUSTOMER_RECORDS,
  SANDBOX_CUSTOMERS,
  SANDBOX_PARTNERS,
  SANDBOX_TENANTS,
} from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  acceptanceToken,
  createTransferFixture,
  emailsTo,
  eventually,
  executionArnOf,
  finishedExecution,
  partnerClient,
  seedSubscription,
  sentEmails,
  sfnClient,
} from '#test/workflow/support.ts';

const CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
const SOURCE = SANDBOX_TENANTS.contoso;
const TARGET = SANDBOX_TENANTS.fabrikam;
const portOf = (url: string) => Number(new URL(url).port);

const clouds: TestCloud[] = [];
let data: string | undefined;

afterAll(async () => {
  for (const cloud of clouds) await cloud.stop().catch(() => undefined);
  if (data) await rm(data, { recursive: true, force: true });
});

describe('a restart on the same data folder', () => {
  it('resumes a transfer that was waiting for acceptance: submit after the restart completes it', async () => {
    delete process.env.SANDBOX_MOVE_FAULTS;
    data = await mkdtemp(join(tmpdir(), 'partner-transfers-resume-'));
    // One signing key for both runs, like the key `npm start` keeps in .local-cloud/ (the authorizer caches it).
    const signingKeyFile = join(data, 'signing-key.json');
    const first = await startTestCloud({ data, signingKeyFile });
    clouds.push(first);

    // Create (target) and choose the line items (source) over HTTP.
    const subscriptions = [
      await seedSubscription(first.storage, CUSTOMER, SOURCE, 0),
      await seedSubscription(first.storage, CUSTOMER, SOURCE, 1),
    ];
    const created = await partnerClient(first, TARGET)('POST', `/v1/customers/${CUSTOMER}/transfers`, {
      sourcePartnerTenantId: SOURCE,
      sourcePartnerName: SANDBOX_PARTNERS.find((partner) => partner.tenantId === SOURCE)?.name,
      customerEmailId: 'resume-test@woodgrove.example',
      customerName: SANDBOX_CUSTOMER_RECORDS.find((customer) => customer.customerId === CUSTOMER)?.name,
    });
    expect(created.status).toBe(201);
    const transferId = created.body.id;
    const path = `/v1/customers/${CUSTOMER}/transfers/${transferId}`;
    const patched = await partnerClient(first, SOURCE)('PATCH', path, {
      lineItems: subscriptions.map((item) => ({ subscriptionId: item.subscriptionId })),
    });
    expect(patched.status).toBe(200);
    const transfer = await first.storage.transfers.get(CUSTOMER, transferId);
    if (!transfer) throw new Error('transfer not stored');
    const tokenBeforeStop = await acceptanceToken(first.storage, transfer);

    // Stop while the workflow waits for acceptance, then start again on the same folder (and the same ports, as
    // `npm start` would).
    await first.stop();
    clouds.pop();
    const second = await startTestCloud({
      data,
      signingKeyFile,
      apiPort: portOf(first.urls.api),
      dynamodbPort: portOf(first.urls.dynamodb),
      sesPort: portOf(first.urls.ses),
      stepfunctionsPort: portOf(first.urls.stepfunctions),
    });
    clouds.push(second);
    expect(second.resumedTransfers).toBeGreaterThanOrEqual(1);

    // The resumed workflow waits again with a new token (the old one died with the old engine).
    const tokenAfterRestart = await acceptanceToken(second.storage, transfer, tokenBeforeStop);
    expect(tokenAfterRestart).not.toBe(tokenBeforeStop);
    const submitted = await partnerClient(second, SOURCE)('POST', `${path}/submit`);
    expect(submitted.status).toBe(202);

    const client = sfnClient(second);
    const execution = await finishedExecution(client, executionArnOf(transferId));
    client.destroy();
    expect(execution.status).toBe('SUCCEEDED');
    const completed = await eventually(async () => {
      const read = await partnerClient(second, TARGET)('GET', path);
      return read.body.status === 'Complete' ? read.body : undefined;
    });
    expect(completed.progress).toEqual({ moved: 2, failed: 0, total: 2 });
    for (const item of subscriptions) {
      const moved = await second.storage.subscriptions.get(CUSTOMER, item.subscriptionId);
      expect(moved).toMatchObject({ billingPartnerTenantId: TARGET, movedByTransferId: transferId });
      expect(moved?.openTransferId).toBeUndefined();
    }
    // The creation emails were not sent again by the resumed workflow (the mail store lives in this process).
    const emails = await sentEmails(second);
    const toCustomer = emailsTo(emails, 'resume-test@woodgrove.example');
    expect(toCustomer.filter((email) => email.subject.includes('has requested'))).toHaveLength(1);
    expect(toCustomer.filter((email) => email.subject.startsWith('Transfer complete'))).toHaveLength(1);
  });

  it('closes a transfer that ended while its workflow was still running (its execution is started again)', async () => {
    delete process.env.SANDBOX_MOVE_FAULTS;
    const folder = await mkdtemp(join(tmpdir(), 'partner-transfers-resume-'));
    const signingKeyFile = join(folder, 'signing-key.json');
    const first = await startTestCloud({ data: folder, signingKeyFile });
    clouds.push(first);
    const fixture = await createTransferFixture(first.storage, { items: 2 });
    const { transfer } = fixture;
    const client = sfnClient(first);
    await createTransferWorkflow(first.stateMachineArn, client).start({
      customerId: transfer.customerTenantId,
      transferId: transfer.id,
    });
    client.destroy();
    await acceptanceToken(first.storage, transfer);
    // The cancel endpoint's first write, then the stop (a kill -9 in the chaos campaign) before it told the
    // workflow: the transfer is terminal, so no longer open, but its workflow still owes the closing steps.
    const now = new Date().toISOString();
    await first.storage.transfers.changeStatus(transfer.customerTenantId, transfer.id, {
      from: ['Active'],
      to: 'Canceled',
      set: { lastModifiedTime: now, lastModifiedUser: 'target-admin' },
    });
    await first.stop();
    clouds.pop();

    const second = await startTestCloud({ data: folder, signingKeyFile });
    clouds.push(second);
    const released = await eventually(async () => {
      const subscriptions = await second.storage.subscriptions.getMany(
        transfer.customerTenantId,
        fixture.subscriptions.map((item) => item.subscriptionId),
      );
      return subscriptions.every((subscription) => subscription.openTransferId === undefined)
        ? subscriptions
        : undefined;
    });
    expect(released.map((subscription) => subscription.billingPartnerTenantId)).toEqual([
      fixture.source.tenantId,
      fixture.source.tenantId,
    ]);
    // CloseUnaccepted releases the claims, then audits the cancellation: wait for that last write too.
    const operations = await eventually(async () => {
      const audit = await second.storage.audit.list(fixture.target.tenantId, { transferId: transfer.id });
      const listed = audit.items.map((record) => record.operation);
      return listed.includes('TransferCanceled') ? listed : undefined;
    });
    expect(operations.filter((operation) => operation === 'TransferCanceled')).toHaveLength(1);
    await second.stop();
    clouds.pop();
    await rm(folder, { recursive: true, force: true });
  });
});
