// The acceptance wait's three endings in the real ASL: submit resumes it, cancel (SendTaskFailure 'TransferCanceled')
// and the end of the acceptance window (States.Timeout) end the workflow; afterwards a late submit gets 409 and the
// subscriptions are free again.
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage, TransferWorkflow } from '#application/ports.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  acceptanceToken,
  cancelDirectly,
  createTransferFixture,
  emailsTo,
  executionArnOf,
  executionHistory,
  finishedExecution,
  seedSubscription,
  sentEmails,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  transferWorkflow,
} from './support.ts';

let cloud: TestCloud;
let client: SFNClient;
let workflow: TransferWorkflow;

beforeAll(async () => {
  delete process.env.SANDBOX_MOVE_FAULTS;
  cloud = await startTestCloud();
  client = sfnClient(cloud);
  workflow = transferWorkflow(cloud, client);
});

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

const statesEntered = (history: readonly HistoryEvent[]) =>
  history.flatMap((event) =>
    event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [],
  );

/** A late submit, over HTTP as the source partner's admin agent. */
async function submitOverHttp(fixture: TransferFixture) {
  const { transfer, source } = fixture;
  const token = await cloud.tokenFor(source.tenantId, 'AdminAgent', 'late-source-admin');
  return fetch(
    `${cloud.urls.api}/v1/customers/${transfer.customerTenantId}/transfers/${transfer.id}/submit`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    },
  );
}

async function expectClaimsReleased(storage: Storage, fixture: TransferFixture) {
  const subscriptions = await storage.subscriptions.getMany(
    fixture.transfer.customerTenantId,
    fixture.subscriptions.map((item) => item.subscriptionId),
  );
  for (const subscription of subscriptions) {
    expect(subscription.openTransferId).toBeUndefined();
    expect(subscription.billingPartnerTenantId).toBe(fixture.source.tenantId);
  }
}

describe('the acceptance wait', () => {
  it('sends the creation emails once and stores a token that submit uses to resume the workflow', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 2 });
    const { transfer } = fixture;
    await workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });
    const token = await acceptanceToken(cloud.storage, transfer);
    const header = await cloud.storage.transfers.getHeader(transfer.customerTenantId, transfer.id);
    expect(header?.creationNotified).toBe(true);
    const emails = await sentEmails(cloud);
    const [sourceAdmin] = fixture.source.adminEmails;
    expect(emailsTo(emails, sourceAdmin ?? '').map((email) => email.subject)).toEqual([
      expect.stringMatching(/^Transfer request: Target Direct asks to take over billing/),
    ]);
    expect(emailsTo(emails, transfer.customerEmailId)).toHaveLength(1);
    expect(emailsTo(emails, fixture.target.adminEmails[0] ?? '')).toEqual([]);
    for (const email of [
      ...emailsTo(emails, sourceAdmin ?? ''),
      ...emailsTo(emails, transfer.customerEmailId),
    ]) {
      expect(email.body.text).toContain(
        `${cloud.urls.console}/transfers/${transfer.customerTenantId}/${transfer.id}`,
      );
      expect(email.body.html).not.toContain(token);
      expect(email.body.text).not.toContain(token);
    }
    expect((await submitDirectly(cloud.storage, workflow, fixture)).status).toBe('Accepted');
    const execution = await finishedExecution(client, executionArnOf(transfer.id));
    expect(execution.status).toBe('SUCCEEDED');
    // The token was used once: resuming it again is refused by Step Functions.
    expect(await workflow.accept(token)).toBe('token-no-longer-valid');
    const history = await executionHistory(client, executionArnOf(transfer.id));
    expect(statesEntered(history)).toEqual(
      expect.arrayContaining([
        'NotifyCreation',
        'AwaitAcceptance',
        'StartMoving',
        'FinaliseTransfer',
        'NotifyCompletion',
      ]),
    );
    expect(statesEntered(history).filter((name) => name === 'NotifyCreation')).toHaveLength(1);
  });

  it('a workflow started again for a finished transfer runs its closing steps once more and repeats none', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const { transfer } = fixture;
    const input = { customerId: transfer.customerTenantId, transferId: transfer.id };
    await workflow.start(input);
    await acceptanceToken(cloud.storage, transfer);
    expect((await submitDirectly(cloud.storage, workflow, fixture)).status).toBe('Accepted');
    expect((await finishedExecution(client, executionArnOf(transfer.id))).status).toBe('SUCCEEDED');

    // What the local cloud does after a stop between the Complete status and its audit entries or emails: the
    // execution starts again and routes by the stored status, through FinaliseTransfer (the audit entries) first.
    await workflow.start({ ...input, run: 1 });
    const again = await finishedExecution(client, `${executionArnOf(transfer.id)}-r1`);
    expect(again.status).toBe('SUCCEEDED');
    const states = statesEntered(await executionHistory(client, `${executionArnOf(transfer.id)}-r1`));
    expect(states).toEqual(['LoadTransfer', 'RouteByStatus', 'FinaliseTransfer', 'NotifyCompletion']);
    const audit = await cloud.storage.audit.list(fixture.target.tenantId, { transferId: transfer.id });
    expect(audit.items.filter((record) => record.operation === 'TransferCompleted')).toHaveLength(1);
    const completionEmails = emailsTo(await sentEmails(cloud), transfer.customerEmailId).filter((email) =>
      email.subject.startsWith('Transfer complete'),
    );
    expect(completionEmails).toHaveLength(1);
  });

  it('cancel ends the workflow as Canceled, frees the subscriptions, and a late submit gets 409', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 3 });
    const { transfer } = fixture;
    await workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });
    await acceptanceToken(cloud.storage, transfer);
    expect((await cancelDirectly(cloud.storage, workflow, fixture)).status).toBe('Canceled');

    const execution = await finishedExecution(client, executionArnOf(transfer.id));
    expect(execution.status).toBe('SUCCEEDED');
    const history = await executionHistory(client, executionArnOf(transfer.id));
    const failure = history.find((event) => event.type === 'TaskFailed');
    expect(failure?.taskFailedEventDetails?.error).toBe('TransferCanceled');
    const states = statesEntered(history);
    expect(states.at(-1)).toBe('CloseUnaccepted');
    expect(states).not.toContain('StartMoving');
    expect(states).not.toContain('ExpireTransfer');

    const stored = await cloud.storage.transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.status).toBe('Canceled');
    await expectClaimsReleased(cloud.storage, fixture);
    const audit = await cloud.storage.audit.list(fixture.target.tenantId, { transferId: transfer.id });
    expect(audit.items.map((record) => record.operation).sort()).toEqual([
      'TransferCanceled',
      'TransferCreated',
    ]);

    const late = await submitOverHttp(fixture);
    expect(late.status).toBe(409);
    await expect(submitDirectly(cloud.storage, workflow, fixture)).rejects.toMatchObject({
      code: 'TransferTerminal',
    });
    expect((await cloud.storage.transfers.get(transfer.customerTenantId, transfer.id))?.status).toBe(
      'Canceled',
    );
  });

  it('cancel also frees a subscription a crashed PATCH claimed without storing it as a line item', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const { transfer } = fixture;
    // A PATCH marks the header (claims in flight), claims its subscriptions, then stores the line items and removes
    // its mark in the same write: killed between claiming and storing, the claim and the mark stay behind.
    const orphan = await seedSubscription(
      cloud.storage,
      transfer.customerTenantId,
      fixture.source.tenantId,
      7,
    );
    await cloud.storage.transfers.markClaimsInFlight(transfer.customerTenantId, transfer.id, 'killed-patch');
    await cloud.storage.subscriptions.claimForTransfer(
      transfer.customerTenantId,
      orphan.subscriptionId,
      transfer.id,
      fixture.source.tenantId,
    );
    await workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });
    await acceptanceToken(cloud.storage, transfer);
    expect((await cancelDirectly(cloud.storage, workflow, fixture)).status).toBe('Canceled');
    expect((await finishedExecution(client, executionArnOf(transfer.id))).status).toBe('SUCCEEDED');
    await expectClaimsReleased(cloud.storage, fixture);
    const stored = await cloud.storage.subscriptions.get(transfer.customerTenantId, orphan.subscriptionId);
    expect(stored?.openTransferId).toBeUndefined();
  });

  it('the end of the acceptance window expires the transfer and ends the workflow; a late submit gets 409', async () => {
    // A window of 1.5 seconds: the wait's timeout is the time left until expirationTime.
    const fixture = await createTransferFixture(cloud.storage, {
      items: 2,
      acceptanceWindowDays: 1.5 / 86_400,
    });
    const { transfer } = fixture;
    await workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });

    const execution = await finishedExecution(client, executionArnOf(transfer.id));
    expect(execution.status).toBe('SUCCEEDED');
    const history = await executionHistory(client, executionArnOf(transfer.id));
    expect(history.some((event) => event.type === 'TaskTimedOut')).toBe(true);
    const states = statesEntered(history);
    expect(states).toContain('ExpireTransfer');
    expect(states.at(-1)).toBe('CloseUnaccepted');
    expect(states).not.toContain('StartMoving');

    const stored = await cloud.storage.transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.status).toBe('Expired');
    expect(Date.parse(stored?.lastModifiedTime ?? '')).toBeGreaterThanOrEqual(
      Date.parse(transfer.expirationTime),
    );
    await expectClaimsReleased(cloud.storage, fixture);
    for (const partner of [fixture.source, fixture.target]) {
      const audit = await cloud.storage.audit.list(partner.tenantId, { transferId: transfer.id });
      expect(audit.items.filter((record) => record.operation === 'TransferExpired')).toHaveLength(1);
    }

    const late = await submitOverHttp(fixture);
    expect(late.status).toBe(409);
    // The stale token of the expired wait cannot resume anything either.
    const stale = await cloud.storage.transfers.getStatusAndAcceptanceToken(
      transfer.customerTenantId,
      transfer.id,
    );
    expect(stale?.acceptanceTaskToken).toBeDefined();
    expect(await workflow.accept(stale?.acceptanceTaskToken ?? '')).toBe('token-no-longer-valid');
  });
});
