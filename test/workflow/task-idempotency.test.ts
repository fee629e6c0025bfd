// Every workflow task, invoked directly twice with the same payload (as a Lambda retry or a duplicate delivery
// would), changes nothing twice: versions bump once, subscriptions move once, audit entries and emails exist once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { EmailSender } from '#adapters/ses-email-sender.ts';
import { createSesEmailSender, EmailSendError, toEmailSendError } from '#adapters/ses-email-sender.ts';
import { finaliseTransfer as finaliseUseCase } from '#application/finalise-transfer.ts';
import type { Storage } from '#application/ports.ts';
import { startMoving as startMovingUseCase } from '#application/start-moving.ts';
import type { AuditOperation } from '#domain/model.ts';
import { LOCAL_SENDER, LOCAL_TABLE_NAME } from '#local/local-cloud.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { handler as closeUnacceptedHandler } from '#workflow/close-unaccepted-transfer.ts';
import { systemClock } from '#workflow/dependencies.ts';
import { handler as expireHandler } from '#workflow/expire-transfer.ts';
import { handler as finaliseHandler } from '#workflow/finalise-transfer.ts';
import { handler as loadHandler, MAX_ACCEPTANCE_WAIT_SECONDS } from '#workflow/load-transfer.ts';
import { handler as moveHandler } from '#workflow/move-line-item.ts';
import {
  handler as notifyHandler,
  notifyTransferEvent as notifyWithDependencies,
} from '#workflow/notify-transfer-event.ts';
import { handler as recordFailureHandler } from '#workflow/record-line-item-failure.ts';
import { handler as startMovingHandler } from '#workflow/start-moving.ts';
import { handler as storeTokenHandler } from '#workflow/store-acceptance-token.ts';
import { asTask, createTransferFixture, emailsTo, sentEmails, type TransferFixture } from './support.ts';

// Each handler runs as its task's function (asTask), so the IAM simulation sees the calls of these retries.
const closeUnaccepted = asTask('closeUnacceptedTransfer', closeUnacceptedHandler);
const expire = asTask('expireTransfer', expireHandler);
const finalise = asTask('finaliseTransfer', finaliseHandler);
const load = asTask('loadTransfer', loadHandler);
const move = asTask('moveLineItem', moveHandler);
const notify = asTask('notifyTransferEvent', notifyHandler);
const recordFailure = asTask('recordLineItemFailure', recordFailureHandler);
const startMoving = asTask('startMoving', startMovingHandler);
const storeToken = asTask('storeAcceptanceToken', storeTokenHandler);
const notifyWith = asTask('notifyTransferEvent', notifyWithDependencies);
const startMovingWith = asTask('startMoving', startMovingUseCase);
const finaliseWith = asTask('finaliseTransfer', finaliseUseCase);

let cloud: TestCloud;

beforeAll(async () => {
  delete process.env.SANDBOX_MOVE_FAULTS;
  cloud = await startTestCloud();
});

afterAll(async () => {
  await cloud?.stop();
});

const keysOf = ({ transfer }: TransferFixture) => ({
  customerId: transfer.customerTenantId,
  transferId: transfer.id,
});

async function header(fixture: TransferFixture) {
  const stored = await cloud.storage.transfers.getHeader(
    fixture.transfer.customerTenantId,
    fixture.transfer.id,
  );
  if (!stored) throw new Error('transfer missing');
  return stored;
}

async function auditOperations(tenantId: string, transferId: string): Promise<AuditOperation[]> {
  const page = await cloud.storage.audit.list(tenantId, { transferId });
  return page.items.map((record) => record.operation).sort();
}

/** Invokes the handler twice with the same payload and returns both answers. */
/**
 * Storage whose status change waits: `paused` resolves when a caller reaches it, `release` lets it go on. A task
 * given this storage has read the transfer and is about to lose the race to whatever runs meanwhile.
 */
function pausedBeforeStatusChange() {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reachedChange = () => {};
  const paused = new Promise<void>((resolve) => {
    reachedChange = resolve;
  });
  const transfers: Storage['transfers'] = Object.create(cloud.storage.transfers);
  transfers.changeStatus = async (customerId, transferId, change) => {
    reachedChange();
    await released;
    return cloud.storage.transfers.changeStatus(customerId, transferId, change);
  };
  return { storage: { ...cloud.storage, transfers }, paused, release };
}

/** What the API's submit stores: Active -> Accepted by the source's admin, now. Resolves the time it used. */
async function acceptAsSource(keys: { customerId: string; transferId: string }): Promise<string> {
  const now = new Date().toISOString();
  await cloud.storage.transfers.changeStatus(keys.customerId, keys.transferId, {
    from: ['Active'],
    to: 'Accepted',
    set: { acceptedTime: now, lastModifiedTime: now, lastModifiedUser: 'source-admin' },
  });
  return now;
}

async function twice<T>(task: (event: unknown) => Promise<T>, payload: unknown): Promise<[T, T]> {
  const first = await task(payload);
  const second = await task(structuredClone(payload));
  return [first, second];
}

describe('duplicate task invocations are harmless', () => {
  it('from creation to completion', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 3 });
    const keys = keysOf(fixture);
    const { transfer, source, target, subscriptions } = fixture;
    const recipients = [...source.adminEmails, transfer.customerEmailId];

    // Creation emails: once per recipient; the target's audit entry once; creationNotified set.
    const [created, createdAgain] = await twice(notify, { ...keys, event: 'TransferCreated' });
    expect(created.recipients.map((entry) => entry.outcome)).toEqual(['sent', 'sent']);
    expect(createdAgain.recipients.map((entry) => entry.outcome)).toEqual(['already-sent', 'already-sent']);
    const afterCreation = await sentEmails(cloud);
    for (const address of recipients) expect(emailsTo(afterCreation, address), address).toHaveLength(1);
    expect(await auditOperations(target.tenantId, transfer.id)).toEqual(['TransferCreated']);
    expect((await header(fixture)).creationNotified).toBe(true);
    expect((await header(fixture)).version).toBe(transfer.version);

    // The acceptance token: stored once, no version bump.
    await twice(storeToken, { ...keys, taskToken: 'token-of-this-wait' });
    expect(
      (await cloud.storage.transfers.getStatusAndAcceptanceToken(keys.customerId, keys.transferId))
        ?.acceptanceTaskToken,
    ).toBe('token-of-this-wait');
    expect((await header(fixture)).version).toBe(transfer.version);

    // The source submits (what the API does), then the workflow starts moving: Accepted -> InProgress once.
    const now = await acceptAsSource(keys);
    const accepted = await header(fixture);
    const [started, startedAgain] = await twice(startMoving, keys);
    expect(started.lineItemIds).toEqual(['0', '1', '2']);
    expect(startedAgain).toEqual(started);
    expect(await header(fixture)).toMatchObject({ status: 'InProgress', version: accepted.version + 1 });
    expect(await auditOperations(source.tenantId, transfer.id)).toEqual(['TransferAccepted']);
    const acceptance = await cloud.storage.audit.list(source.tenantId, { transferId: transfer.id });
    expect(acceptance.items[0]).toMatchObject({ actor: 'source-admin', at: now });

    // Item 0: moved once; the duplicate answers at once without another attempt.
    const [moved, movedAgain] = await twice(move, { ...keys, lineItemId: '0' });
    expect(moved).toMatchObject({
      status: 'Complete',
      alreadyMoved: false,
      alreadySettled: false,
      attempts: 1,
    });
    expect(movedAgain).toMatchObject({ status: 'Complete', alreadySettled: true });

    // Item 1: the subscription was moved but the task crashed before recording it; the retry completes the item.
    await cloud.storage.subscriptions.moveBillingOwner({
      customerId: keys.customerId,
      subscriptionId: subscriptions[1]?.subscriptionId ?? '',
      transferId: keys.transferId,
      fromTenantId: source.tenantId,
      toTenantId: target.tenantId,
    });
    expect(await move({ ...keys, lineItemId: '1' })).toMatchObject({
      status: 'Complete',
      alreadyMoved: true,
    });

    // Item 2: recorded as failed once; a late move of a Failed item attempts nothing.
    const failure = {
      ...keys,
      lineItemId: '2',
      error: 'PermanentMoveError',
      cause: '{"errorMessage":"gone"}',
    };
    const [failed, failedAgain] = await twice(recordFailure, failure);
    expect(failed.status).toBe('Failed');
    expect(failedAgain.status).toBe('Failed');
    expect(await move({ ...keys, lineItemId: '2' })).toMatchObject({
      status: 'Failed',
      alreadySettled: true,
    });

    const items = (await cloud.storage.transfers.get(keys.customerId, keys.transferId))?.lineItems ?? [];
    expect(items.map((item) => [item.status, item.attempts])).toEqual([
      ['Complete', 1],
      ['Complete', 1],
      ['Failed', 0],
    ]);
    expect(items[2]?.transferError).toEqual({ code: 'PermanentMoveError', description: 'gone' });
    const [first, second, third] = await cloud.storage.subscriptions.getMany(
      keys.customerId,
      subscriptions.map((item) => item.subscriptionId),
    );
    // Seeded at version 1, +1 claim, +1 move: exactly one move each.
    expect([first?.version, second?.version]).toEqual([3, 3]);
    expect([first?.billingPartnerTenantId, second?.billingPartnerTenantId]).toEqual([
      target.tenantId,
      target.tenantId,
    ]);
    expect(third).toMatchObject({ billingPartnerTenantId: source.tenantId, openTransferId: transfer.id });

    // Finalise: one status change, the failed item's claim given back, the completion audit once per partner.
    const inProgress = await header(fixture);
    const [finalised, finalisedAgain] = await twice(finalise, keys);
    expect(finalised).toMatchObject({
      status: 'CompletedWithErrors',
      moved: 2,
      failed: 1,
      failedLineItemIds: ['2'],
    });
    expect(finalisedAgain).toEqual(finalised);
    expect(await header(fixture)).toMatchObject({
      status: 'CompletedWithErrors',
      version: inProgress.version + 1,
    });
    expect(
      (await cloud.storage.subscriptions.get(keys.customerId, third?.subscriptionId ?? ''))?.openTransferId,
    ).toBe(undefined);
    expect(await auditOperations(source.tenantId, transfer.id)).toEqual([
      'TransferAccepted',
      'TransferCompleted',
    ]);
    expect(await auditOperations(target.tenantId, transfer.id)).toEqual([
      'TransferCompleted',
      'TransferCreated',
    ]);

    // Completion emails: once per recipient (source admins, target admins, customer).
    await twice(notify, { ...keys, event: 'TransferCompleted' });
    const afterCompletion = await sentEmails(cloud);
    for (const address of [...source.adminEmails, ...target.adminEmails, transfer.customerEmailId]) {
      const completion = emailsTo(afterCompletion, address).filter((email) =>
        email.subject.includes('completed'),
      );
      expect(completion, address).toHaveLength(1);
      expect(completion[0]?.subject).toMatch(/^Transfer completed with errors: 2 of 3 subscriptions/);
    }
    expect(await load(keys)).toMatchObject({ status: 'CompletedWithErrors', creationNotified: true });
    // A move delivered again after the end changes nothing either.
    expect(await move({ ...keys, lineItemId: '0' })).toMatchObject({
      status: 'Complete',
      alreadySettled: true,
    });
    expect(await move({ ...keys, lineItemId: '2' })).toMatchObject({
      status: 'Failed',
      alreadySettled: true,
    });
  });

  it('expiry and closing an unaccepted transfer', async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const fixture = await createTransferFixture(cloud.storage, {
      items: 2,
      now: twoDaysAgo,
      acceptanceWindowDays: 1,
    });
    const keys = keysOf(fixture);
    expect(await load(keys)).toMatchObject({
      status: 'Active',
      creationNotified: false,
      acceptanceTimeoutSeconds: 1,
    });

    const [expired, expiredAgain] = await twice(expire, keys);
    expect(expired).toMatchObject({ outcome: 'expired', status: 'Expired' });
    expect(expiredAgain).toMatchObject({ outcome: 'no-longer-active', status: 'Expired' });
    expect((await header(fixture)).version).toBe(fixture.transfer.version + 1);

    await expect(storeToken({ ...keys, taskToken: 'too-late' })).rejects.toMatchObject({
      name: 'TransferNoLongerActive',
    });

    const [closed, closedAgain] = await twice(closeUnaccepted, keys);
    expect(closed).toMatchObject({ status: 'Expired', releasedClaims: 2 });
    expect(closedAgain).toMatchObject({ status: 'Expired', releasedClaims: 0 });
    for (const partner of [fixture.source, fixture.target]) {
      expect(await auditOperations(partner.tenantId, fixture.transfer.id)).toEqual(['TransferExpired']);
    }
    expect((await header(fixture)).version).toBe(fixture.transfer.version + 1);
  });

  it('a delivery of start-moving that loses the race to a concurrent one reads the status back and agrees', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 2 });
    const keys = keysOf(fixture);
    await acceptAsSource(keys);
    const accepted = await header(fixture);
    // The late delivery reads Accepted, then pauses before its status change while the other one runs through.
    const gate = pausedBeforeStatusChange();
    const late = startMovingWith({ storage: gate.storage, now: systemClock }, keys);
    await gate.paused;
    const first = await startMoving(keys);
    gate.release();
    expect(first.lineItemIds).toEqual(['0', '1']);
    expect(await late).toEqual(first);
    expect(await header(fixture)).toMatchObject({ status: 'InProgress', version: accepted.version + 1 });
  });

  it('a delivery of finalise that loses the race to a concurrent one reports what the winner stored', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const keys = keysOf(fixture);
    await acceptAsSource(keys);
    await startMoving(keys);
    await move({ ...keys, lineItemId: '0' });
    const inProgress = await header(fixture);
    // The late delivery reads InProgress, then pauses before its status change while the other one runs through.
    const gate = pausedBeforeStatusChange();
    const late = finaliseWith({ storage: gate.storage, now: systemClock }, keys);
    await gate.paused;
    const first = await finalise(keys);
    gate.release();
    expect(first).toMatchObject({ status: 'Complete', moved: 1, failed: 0 });
    expect(await late).toEqual(first);
    expect(await header(fixture)).toMatchObject({ status: 'Complete', version: inProgress.version + 1 });
  });

  it('expiry before the end of the window changes nothing (a capped wait ended early)', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const keys = keysOf(fixture);
    expect(await expire(keys)).toMatchObject({ outcome: 'not-yet-expired', status: 'Active' });
    expect(await header(fixture)).toMatchObject({ status: 'Active', version: fixture.transfer.version });
    // A 30-day window is waited for in steps of at most 14 days.
    expect((await load(keys)).acceptanceTimeoutSeconds).toBe(MAX_ACCEPTANCE_WAIT_SECONDS);
  });
});

describe('notification failures', () => {
  const failingSender = (retryable: boolean) => {
    const calls: string[] = [];
    const sender: EmailSender = {
      async send(message) {
        calls.push(message.to);
        throw new EmailSendError('SES SendEmail failed (Throttling): slow down', {
          retryable,
          errorCode: retryable ? 'Throttling' : 'MessageRejected',
        });
      },
    };
    return { sender, calls };
  };
  const noPause = {
    retry: { attempts: 3, baseDelayMs: 0, deadlineMarginMs: 0 },
    sleep: async () => undefined,
  };

  it('a failing send is retried, then recorded on the transfer without blocking it; a later run sends it', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const keys = keysOf(fixture);
    const recipients = [...fixture.source.adminEmails, fixture.transfer.customerEmailId];
    const { sender, calls } = failingSender(true);
    const input = { ...keys, event: 'TransferCreated' as const };
    const dependencies = {
      storage: cloud.storage,
      now: systemClock,
      sender,
      consoleUrl: cloud.urls.console,
      ...noPause,
    };

    const result = await notifyWith(input, dependencies);
    expect(result.recipients.map((entry) => entry.outcome)).toEqual(['failed', 'failed']);
    expect(calls).toEqual([
      recipients[0],
      recipients[0],
      recipients[0],
      recipients[1],
      recipients[1],
      recipients[1],
    ]);
    const stored = await cloud.storage.transfers.get(keys.customerId, keys.transferId);
    expect(stored?.notificationErrors?.map((error) => error.recipient).sort()).toEqual(
      [...recipients].sort(),
    );
    expect(stored?.notificationErrors?.[0]?.description).toContain('Throttling');
    // Not blocking: the workflow may go on to wait for acceptance.
    expect((await header(fixture)).creationNotified).toBe(true);
    // The claims were given back, so the next run sends at once.
    for (const address of recipients) {
      expect(
        await cloud.storage.emailMarkers.get(keys.transferId, 'TransferCreated', address),
      ).toBeUndefined();
    }
    const retried = await notify(input);
    expect(retried.recipients.map((entry) => entry.outcome)).toEqual(['sent', 'sent']);
    const emails = await sentEmails(cloud);
    for (const address of recipients) expect(emailsTo(emails, address)).toHaveLength(1);
  });

  it('a permanent SES error is not retried', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const { sender, calls } = failingSender(false);
    await notifyWith(
      { ...keysOf(fixture), event: 'TransferCreated' },
      { storage: cloud.storage, now: systemClock, sender, consoleUrl: cloud.urls.console, ...noPause },
    );
    expect(calls).toHaveLength(2);
  });

  it('a send whose answer was lost is never sent again: the marker is closed and the doubt recorded', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const keys = keysOf(fixture);
    const calls: string[] = [];
    const sender: EmailSender = {
      async send(message) {
        calls.push(message.to);
        // What the SDK throws when SES took the request and the connection broke before its answer.
        throw toEmailSendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      },
    };
    const input = { ...keys, event: 'TransferCreated' as const };
    const dependencies = {
      storage: cloud.storage,
      now: systemClock,
      sender,
      consoleUrl: cloud.urls.console,
      ...noPause,
    };
    const result = await notifyWith(input, dependencies);
    expect(result.recipients.map((entry) => entry.outcome)).toEqual(['failed', 'failed']);
    expect(calls).toHaveLength(2);
    const stored = await cloud.storage.transfers.get(keys.customerId, keys.transferId);
    expect(stored?.notificationErrors?.[0]?.description).toContain('not sent again');
    // A later run (a workflow retry, a restart) finds the markers closed and sends nothing.
    const again = await notify(input);
    expect(again.recipients.map((entry) => entry.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(
      await sentEmails(cloud).then((emails) => emailsTo(emails, fixture.transfer.customerEmailId)),
    ).toHaveLength(0);
  });

  it('a stale claim of a sender that died mid-way is closed and recorded, not sent again', async () => {
    let nowMs = Date.now();
    const storage = createDynamoDbStorage({ tableName: LOCAL_TABLE_NAME, now: () => new Date(nowMs) });
    const fixture = await createTransferFixture(storage, { items: 1 });
    const keys = keysOf(fixture);
    const [sourceAdmin = ''] = fixture.source.adminEmails;
    await storage.emailMarkers.claim(keys.transferId, 'TransferCreated', sourceAdmin);
    nowMs += 121_000;
    const result = await notifyWith(
      { ...keys, event: 'TransferCreated' },
      {
        storage,
        now: () => new Date(nowMs),
        sender: createSesEmailSender({ sender: LOCAL_SENDER }),
        consoleUrl: cloud.urls.console,
      },
    );
    expect(result.recipients.map((entry) => entry.outcome)).toEqual(['failed', 'sent']);
    const emails = await sentEmails(cloud);
    expect(emailsTo(emails, sourceAdmin)).toHaveLength(0);
    expect(emailsTo(emails, fixture.transfer.customerEmailId)).toHaveLength(1);
    const stored = await storage.transfers.get(keys.customerId, keys.transferId);
    expect(stored?.notificationErrors?.map((error) => error.recipient)).toEqual([sourceAdmin]);
    expect((await storage.emailMarkers.get(keys.transferId, 'TransferCreated', sourceAdmin))?.state).toBe(
      'sent',
    );
  });

  it('a recipient whose claim another attempt holds is left to it: NotificationInFlight, the others are sent', async () => {
    const fixture = await createTransferFixture(cloud.storage, { items: 1 });
    const keys = keysOf(fixture);
    const [sourceAdmin] = fixture.source.adminEmails;
    await cloud.storage.emailMarkers.claim(keys.transferId, 'TransferCreated', sourceAdmin ?? '');
    await expect(notify({ ...keys, event: 'TransferCreated' })).rejects.toMatchObject({
      name: 'NotificationInFlight',
    });
    const emails = await sentEmails(cloud);
    expect(emailsTo(emails, sourceAdmin ?? '')).toHaveLength(0);
    expect(emailsTo(emails, fixture.transfer.customerEmailId)).toHaveLength(1);
    expect((await header(fixture)).creationNotified).toBe(false);
  });
});
