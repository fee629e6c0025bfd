// The write side of the transfer API over HTTP, as partner systems use it: create, set line items, submit, cancel,
// the reference's PATCH forms, per-item refusals and MS-RequestId idempotency. Assertions are on API answers and on
// what storage holds; the workflow may or may not progress meanwhile (its tasks are not the subject here).
import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUBMITTED_TRANSFER_SCHEMA } from '#api/schemas/transfer-read-schemas.ts';
import { transferIdForRequest } from '#application/transfer-ids.ts';
import { NON_TRANSFERABLE_PRODUCT_TYPES } from '#domain/model.ts';
import { NON_TRANSFERABLE_REASONS } from '#domain/product-types.ts';
import { newTransfer } from '#domain/transfer-factory.ts';
import {
  SANDBOX_CUSTOMERS,
  SANDBOX_PARTNERS,
  SANDBOX_SUBSCRIPTIONS,
  SANDBOX_TENANTS,
} from '#local/sandbox.ts';
import { LOCAL_SDK_SETTINGS, type TestCloud } from '#test/support/local-cloud.ts';
import { expectToMatchSchema } from './support/seeded-transfers.ts';
import {
  ACCEPTED_OR_LATER,
  type Actor,
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
const ALPINE = SANDBOX_CUSTOMERS.alpine;
const { contoso, fabrikam, northwind, adatum } = SANDBOX_ADMINS;
const DAY_MS = 24 * 60 * 60 * 1000;

let cloud: TestCloud;
let api: TransferApi;

beforeAll(async () => {
  ({ cloud, api } = await startTransferWriteCloud());
  return () => stopWhenWorkflowsAreIdle(cloud);
});

/** A fresh Active transfer of Woodgrove from Contoso to `target`. */
async function pendingTransfer(target: Actor = fabrikam, extra: Record<string, unknown> = {}) {
  const created = await api.create(target, WOODGROVE, T.contoso, { extra });
  expect(created.status).toBe(201);
  return created.body;
}

const newSubscription = (productType: Parameters<typeof seedSubscription>[3] = 'OnlineServicesNCE') =>
  seedSubscription(cloud, WOODGROVE, T.contoso, productType);

async function auditOperations(tenantId: string, transferId: string) {
  const page = await cloud.storage.audit.list(tenantId, { transferId });
  return page.items.map((record) => record.operation);
}

async function customerTransferIds(customerId: string) {
  const ids: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await cloud.storage.transfers.listByCustomer(customerId, {
      limit: 1000,
      ...(continuationToken ? { continuationToken } : {}),
    });
    ids.push(...page.items.map((header) => header.id));
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return ids;
}

describe('create -> set line items -> submit', () => {
  it('creates an Active transfer, stores it, audits it for the target and starts its workflow', async () => {
    const created = await api.create(fabrikam, WOODGROVE, T.contoso);
    expect(created.status).toBe(201);
    const transfer = created.body;
    expect(transfer).toMatchObject({
      status: 'Active',
      customerTenantId: WOODGROVE,
      sourcePartnerTenantId: T.contoso,
      targetPartnerTenantId: T.fabrikam,
      lineItems: [],
    });
    expect(created.headers.get('location')).toBe(`/v1/customers/${WOODGROVE}/transfers/${transfer.id}`);
    expect(Date.parse(transfer.expirationTime) - Date.parse(transfer.createdTime)).toBe(30 * DAY_MS);

    const stored = await storedTransfer(cloud, WOODGROVE, transfer.id);
    expect(stored).toMatchObject({
      status: 'Active',
      createdTime: transfer.createdTime,
      lastModifiedUser: 'fabrikam-admin',
    });
    expect(await auditOperations(T.fabrikam, transfer.id)).toContain('TransferCreated');

    const sfn = new SFNClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.stepfunctions });
    const executionArn = `${cloud.stateMachineArn.replace(':stateMachine:', ':execution:')}:${transfer.id}`;
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(execution.input ?? '{}')).toEqual({ customerId: WOODGROVE, transferId: transfer.id });
    sfn.destroy();
  });

  it('sets line items (claiming their subscriptions), replaces them (releasing dropped ones), then submits', async () => {
    const transfer = await pendingTransfer();
    const [first, second, third] = await Promise.all([
      newSubscription(),
      newSubscription('AzureSubscription'),
      newSubscription(),
    ]);

    const set = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: first!.subscriptionId, quantity: 4 },
      { subscriptionId: second!.subscriptionId },
    ]);
    expect(set.status).toBe(200);
    expect(set.body.status).toBe('Active');
    expect(set.body.lineItems).toMatchObject([
      { id: '0', subscriptionId: first!.subscriptionId, quantity: 4, status: 'Pending' },
      { id: '1', subscriptionId: second!.subscriptionId, quantity: 10, status: 'Pending' },
    ]);
    expect(await claimOf(cloud, first!)).toBe(transfer.id);
    expect(await claimOf(cloud, second!)).toBe(transfer.id);

    const replaced = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: first!.subscriptionId },
      { subscriptionId: third!.subscriptionId, quantity: 1 },
    ]);
    expect(replaced.status).toBe(200);
    expect(replaced.body.lineItems.map((item) => [item.subscriptionId, item.quantity])).toEqual([
      [first!.subscriptionId, 10],
      [third!.subscriptionId, 1],
    ]);
    expect(await claimOf(cloud, second!)).toBeUndefined();
    expect(await claimOf(cloud, third!)).toBe(transfer.id);
    expect(await auditOperations(T.contoso, transfer.id)).toContain('TransferUpdated');

    const requestId = randomUUID();
    const submitted = await api.submit(contoso, WOODGROVE, transfer.id, requestId);
    // 202: the transfer as the acceptance stored it, without per-item data; Location names the transfer.
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('location')).toBe(api.transferPath(WOODGROVE, transfer.id));
    expectToMatchSchema(SUBMITTED_TRANSFER_SCHEMA, submitted.body);
    expect(submitted.body).toMatchObject({
      id: transfer.id,
      status: 'Accepted',
      acceptedTime: expect.any(String),
      lineItemCount: 2,
      progress: { moved: 0, failed: 0, total: 2 },
      links: { self: { uri: api.transferPath(WOODGROVE, transfer.id), method: 'GET' } },
    });
    expect(submitted.body.lineItems).toBeUndefined();
    // A retry with the same MS-RequestId gets the first answer again, status and Location included.
    const replayed = await api.submit(contoso, WOODGROVE, transfer.id, requestId);
    expect([replayed.status, replayed.headers.get('location')]).toEqual([
      202,
      api.transferPath(WOODGROVE, transfer.id),
    ]);
    expect(replayed.headers.get('ms-idempotent-replay')).toBe('true');
    expect(replayed.body).toEqual(submitted.body);

    const stored = await storedTransfer(cloud, WOODGROVE, transfer.id);
    expect(ACCEPTED_OR_LATER).toContain(stored.status);
    expect(stored.acceptedTime).toBeDefined();
    expect(stored.lineItems.map((item) => item.subscriptionId)).toEqual([
      first!.subscriptionId,
      third!.subscriptionId,
    ]);
    expect(await isClaimedBy(cloud, first!, transfer.id)).toBe(true);
    expect(await isClaimedBy(cloud, third!, transfer.id)).toBe(true);
    expect(await auditOperations(T.contoso, transfer.id)).toContain('TransferAccepted');

    const again = await api.submit(contoso, WOODGROVE, transfer.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toMatch(/^Transfer(NotActive|Terminal)$/);
    const lateCancel = await api.cancel(fabrikam, WOODGROVE, transfer.id);
    expect(lateCancel.status).toBe(409);
    const lateUpdate = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: first!.subscriptionId },
    ]);
    expect(lateUpdate.status).toBe(409);
  });

  it('refuses to submit a transfer without line items', async () => {
    const transfer = await pendingTransfer();
    const submitted = await api.submit(contoso, WOODGROVE, transfer.id);
    expect(submitted.status).toBe(422);
    expect(submitted.body.code).toBe('NoLineItems');
    expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).status).toBe('Active');
  });

  it('answers the legacy POST …/accept like submit', async () => {
    const transfer = await pendingTransfer();
    const subscription = await newSubscription();
    await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: subscription.subscriptionId },
    ]);
    const accepted = await api.call(contoso, 'POST', `${api.transferPath(WOODGROVE, transfer.id)}/accept`);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('location')).toBe(api.transferPath(WOODGROVE, transfer.id));
    expect(accepted.body).toMatchObject({ id: transfer.id, status: 'Accepted', lineItemCount: 1 });
    expect(ACCEPTED_OR_LATER).toContain((await storedTransfer(cloud, WOODGROVE, transfer.id)).status);
  });
});

describe('cancel', () => {
  it('cancels a pending transfer, releases its claims, audits it; a late submit or second cancel gets 409', async () => {
    const transfer = await pendingTransfer(northwind);
    const subscription = await newSubscription();
    expect(
      (
        await api.setLineItems(contoso, WOODGROVE, transfer.id, [
          { subscriptionId: subscription.subscriptionId },
        ])
      ).status,
    ).toBe(200);

    const canceled = await api.cancel(northwind, WOODGROVE, transfer.id);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('Canceled');
    expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).status).toBe('Canceled');
    expect(await claimOf(cloud, subscription)).toBeUndefined();
    expect(await auditOperations(T.northwind, transfer.id)).toContain('TransferCanceled');

    const lateSubmit = await api.submit(contoso, WOODGROVE, transfer.id);
    expect(lateSubmit.status).toBe(409);
    expect(lateSubmit.body.code).toBe('TransferTerminal');
    const secondCancel = await api.cancel(northwind, WOODGROVE, transfer.id);
    expect(secondCancel.status).toBe(409);
    expect(secondCancel.body.code).toBe('TransferTerminal');
    const lateUpdate = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: subscription.subscriptionId },
    ]);
    expect(lateUpdate.status).toBe(409);
    expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).status).toBe('Canceled');
  });

  it('DELETE is the same cancel', async () => {
    const transfer = await pendingTransfer();
    const deleted = await api.call(fabrikam, 'DELETE', api.transferPath(WOODGROVE, transfer.id));
    expect(deleted.status).toBe(200);
    expect(deleted.body.status).toBe('Canceled');
    const again = await api.call(fabrikam, 'DELETE', api.transferPath(WOODGROVE, transfer.id));
    expect(again.status).toBe(409);
  });

  it('only the target admin agent may cancel; only the source admin agent may set line items or submit', async () => {
    const transfer = await pendingTransfer();
    const subscription = await newSubscription();
    const path = api.transferPath(WOODGROVE, transfer.id);

    expect((await api.cancel(contoso, WOODGROVE, transfer.id)).body.code).toBe('NotTargetPartner');
    expect(
      (await api.cancel({ tenantId: T.fabrikam, role: 'SalesAgent' }, WOODGROVE, transfer.id)).body.code,
    ).toBe('AdminAgentRequired');
    expect((await api.cancel(adatum, WOODGROVE, transfer.id)).status).toBe(404);
    const items = [{ subscriptionId: subscription.subscriptionId }];
    expect((await api.setLineItems(fabrikam, WOODGROVE, transfer.id, items)).body.code).toBe(
      'NotSourcePartner',
    );
    const sales = await api.setLineItems(
      { tenantId: T.contoso, role: 'SalesAgent' },
      WOODGROVE,
      transfer.id,
      items,
    );
    expect([sales.status, sales.body.code]).toEqual([403, 'AdminAgentRequired']);
    expect((await api.submit(fabrikam, WOODGROVE, transfer.id)).body.code).toBe('NotSourcePartner');
    expect((await api.call(adatum, 'PATCH', path, { body: { lineItems: items } })).body.code).toBe(
      'TransferNotFound',
    );
    // The transfer lives under its customer: another customer's path does not find it.
    expect((await api.submit(contoso, ALPINE, transfer.id)).status).toBe(404);
    expect(await claimOf(cloud, subscription)).toBeUndefined();
    expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).status).toBe('Active');
  });
});

describe('the reference PATCH forms', () => {
  it('{"status": "Cancel"} with the echoed transfer cancels (target)', async () => {
    const transfer = await pendingTransfer();
    const { id, targetPartnerTenantId, sourcePartnerTenantId, customerTenantId } = transfer;
    const canceled = await api.call(fabrikam, 'PATCH', api.transferPath(WOODGROVE, id), {
      body: { id, status: 'Cancel', targetPartnerTenantId, sourcePartnerTenantId, customerTenantId },
    });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('Canceled');
    expect((await storedTransfer(cloud, WOODGROVE, id)).status).toBe('Canceled');
  });

  it('the whole transfer as read, with lineItems added, sets the line items and keeps it pending', async () => {
    const transfer = await pendingTransfer();
    const subscription = await newSubscription();
    // The create answer is the transfer as GET shows it.
    const patched = await api.call(contoso, 'PATCH', api.transferPath(WOODGROVE, transfer.id), {
      body: {
        ...transfer,
        lineItems: [
          {
            id: 0,
            subscriptionId: subscription.subscriptionId,
            quantity: 2,
            billingCycle: 'Monthly',
            friendlyName: 'ignored',
            partnerIdOnRecord: null,
            offerId: 'ignored',
            skuId: 'ignored',
            catalogItemId: 'ignored',
            termDuration: 'P1M',
            addOnItems: [],
            transferError: null,
            status: null,
          },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('Active');
    expect(patched.body.lineItems).toMatchObject([
      { subscriptionId: subscription.subscriptionId, quantity: 2, friendlyName: subscription.friendlyName },
    ]);
  });

  it('{"status": "Accepted", "lineItems": [...]} sets and submits in one call; {"status": "Accepted"} submits', async () => {
    const transfer = await pendingTransfer();
    const subscription = await newSubscription();
    const accepted = await api.setLineItems(
      contoso,
      WOODGROVE,
      transfer.id,
      [{ subscriptionId: subscription.subscriptionId }],
      { status: 'Accepted' },
    );
    expect(accepted.status).toBe(200);
    expect(ACCEPTED_OR_LATER).toContain(accepted.body.status);
    expect(accepted.body.lineItems.map((item) => item.subscriptionId)).toEqual([subscription.subscriptionId]);

    const other = await pendingTransfer();
    const otherSubscription = await newSubscription();
    await api.setLineItems(contoso, WOODGROVE, other.id, [
      { subscriptionId: otherSubscription.subscriptionId },
    ]);
    const submitted = await api.call(contoso, 'PATCH', api.transferPath(WOODGROVE, other.id), {
      body: { status: 'Accepted' },
    });
    // The reference's form answers with the whole transfer, line items included (POST …/submit does not).
    expect(submitted.status).toBe(200);
    expect(submitted.body.lineItems.map((item) => item.subscriptionId)).toEqual([
      otherSubscription.subscriptionId,
    ]);
    expect(ACCEPTED_OR_LATER).toContain((await storedTransfer(cloud, WOODGROVE, other.id)).status);
  });

  it('refuses bodies that change nothing, name another transfer, carry unknown fields or add-ons', async () => {
    const transfer = await pendingTransfer();
    const path = api.transferPath(WOODGROVE, transfer.id);
    const subscriptionId = (await newSubscription()).subscriptionId;

    const empty = await api.call(contoso, 'PATCH', path, { body: { status: 'Active' } });
    expect([empty.status, empty.body.code]).toEqual([400, 'NothingToUpdate']);

    const otherId = await api.call(contoso, 'PATCH', path, {
      body: { id: randomUUID(), lineItems: [{ subscriptionId }] },
    });
    expect([otherId.status, otherId.body.code]).toEqual([400, 'ReadOnlyFieldMismatch']);
    expect(otherId.body.details?.[0]?.field).toBe('body.id');
    const otherSource = await api.call(contoso, 'PATCH', path, {
      body: { sourcePartnerTenantId: T.northwind, lineItems: [{ subscriptionId }] },
    });
    expect(otherSource.body.details?.[0]?.field).toBe('body.sourcePartnerTenantId');

    const unknown = await api.call(contoso, 'PATCH', path, {
      body: { lineItems: [{ subscriptionId, colour: 'red' }] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details?.[0]?.field).toBe('body.lineItems.0.colour');
    const badStatus = await api.call(contoso, 'PATCH', path, { body: { status: 'Complete' } });
    expect([badStatus.status, badStatus.body.details?.[0]?.field]).toEqual([400, 'body.status']);
    const addOn = await api.call(contoso, 'PATCH', path, {
      body: { lineItems: [{ subscriptionId, addOnItems: [{ subscriptionId }] }] },
    });
    expect([addOn.status, addOn.body.details?.[0]?.field]).toEqual([400, 'body.lineItems.0.addOnItems']);
    const badGuid = await api.call(contoso, 'PATCH', path, {
      body: { lineItems: [{ subscriptionId: 'sub-1' }] },
    });
    expect([badGuid.status, badGuid.body.details?.[0]?.field]).toEqual([
      400,
      'body.lineItems.0.subscriptionId',
    ]);
    const zero = await api.call(contoso, 'PATCH', path, {
      body: { lineItems: [{ subscriptionId, quantity: 0 }] },
    });
    expect([zero.status, zero.body.details?.[0]?.field]).toEqual([400, 'body.lineItems.0.quantity']);

    const stored = await storedTransfer(cloud, WOODGROVE, transfer.id);
    expect([stored.status, stored.lineItems.length, stored.version]).toEqual(['Active', 0, 1]);
  });
});

describe('line items refused per item', () => {
  const woodgroveSandboxSubscription = (productType: string) => {
    const found = SANDBOX_SUBSCRIPTIONS.find(
      (subscription) => subscription.customerId === WOODGROVE && subscription.productType === productType,
    );
    if (!found) throw new Error(`The sandbox has no Woodgrove ${productType} subscription`);
    return found;
  };

  it('refuses every non-transferable product type with its reason, and changes nothing', async () => {
    const transfer = await pendingTransfer();
    const good = await newSubscription();
    const refusedTypes = [...NON_TRANSFERABLE_PRODUCT_TYPES];
    const answer = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: good.subscriptionId },
      ...refusedTypes.map((type) => ({ subscriptionId: woodgroveSandboxSubscription(type).subscriptionId })),
    ]);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('LineItemsRefused');
    expect(answer.body.details).toEqual(
      refusedTypes.map((type) => ({
        field: woodgroveSandboxSubscription(type).subscriptionId,
        code: 'ProductTypeNotTransferable',
        description: NON_TRANSFERABLE_REASONS[type],
      })),
    );
    expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).lineItems).toEqual([]);
    expect(await claimOf(cloud, good)).toBeUndefined();
  });

  it('refuses a subscription that another open transfer holds, and keeps that transfer’s claim', async () => {
    const holder = await pendingTransfer(northwind);
    const contested = await newSubscription();
    expect(
      (await api.setLineItems(contoso, WOODGROVE, holder.id, [{ subscriptionId: contested.subscriptionId }]))
        .status,
    ).toBe(200);

    const other = await pendingTransfer(fabrikam);
    const free = await newSubscription();
    const answer = await api.setLineItems(contoso, WOODGROVE, other.id, [
      { subscriptionId: free.subscriptionId },
      { subscriptionId: contested.subscriptionId },
    ]);
    expect(answer.status).toBe(422);
    expect(answer.body.details).toEqual([
      expect.objectContaining({ field: contested.subscriptionId, code: 'SubscriptionInOpenTransfer' }),
    ]);
    expect(await claimOf(cloud, contested)).toBe(holder.id);
    expect(await claimOf(cloud, free)).toBeUndefined();

    // Once the holder is canceled, the subscription is free for the other transfer.
    expect((await api.cancel(northwind, WOODGROVE, holder.id)).status).toBe(200);
    const retried = await api.setLineItems(contoso, WOODGROVE, other.id, [
      { subscriptionId: contested.subscriptionId },
    ]);
    expect(retried.status).toBe(200);
    expect(await claimOf(cloud, contested)).toBe(other.id);
  });

  it('reports each other reason on its own item', async () => {
    const transfer = await pendingTransfer(northwind, {
      targetProductTypes: ['OnlineServicesNCE', 'AzureSubscription'],
    });
    const [nce, reservation, small] = await Promise.all([
      newSubscription(),
      newSubscription('AzureReservation'),
      newSubscription(),
    ]);
    const billedByOther = await seedSubscription(cloud, WOODGROVE, T.adatum);
    const alpineSubscription = await seedSubscription(cloud, ALPINE, T.northwind);
    const missing = randomUUID();
    const answer = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: nce.subscriptionId, partnerIdOnRecord: '3000005' },
      { subscriptionId: reservation.subscriptionId },
      { subscriptionId: small.subscriptionId, quantity: 11 },
      { subscriptionId: small.subscriptionId },
      { subscriptionId: billedByOther.subscriptionId },
      { subscriptionId: alpineSubscription.subscriptionId },
      { subscriptionId: missing },
      { subscriptionId: nce.subscriptionId, partnerIdOnRecord: '9999999' },
    ]);
    expect(answer.status).toBe(422);
    expect(answer.body.details?.map((detail) => [detail.field, detail.code])).toEqual([
      [reservation.subscriptionId, 'ProductTypeNotRequested'],
      [small.subscriptionId, 'QuantityExceedsSubscription'],
      [small.subscriptionId, 'DuplicateLineItem'],
      [billedByOther.subscriptionId, 'SubscriptionNotBilledBySource'],
      [alpineSubscription.subscriptionId, 'SubscriptionNotFound'],
      [missing, 'SubscriptionNotFound'],
      [nce.subscriptionId, 'DuplicateLineItem'],
    ]);
    // A reseller under the target indirect provider may be partner of record (Litware under Northwind).
    const accepted = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: nce.subscriptionId, partnerIdOnRecord: '3000005' },
    ]);
    expect(accepted.status).toBe(200);
    expect(accepted.body.lineItems[0]?.partnerIdOnRecord).toBe('3000005');
    const unknownPartner = await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: nce.subscriptionId, partnerIdOnRecord: '9999999' },
    ]);
    expect(unknownPartner.body.details?.[0]?.code).toBe('PartnerOfRecordInvalid');
  });
});

describe('MS-RequestId', () => {
  it('a repeated create replays the same answer and makes one transfer', async () => {
    const requestId = randomUUID();
    const before = await customerTransferIds(WOODGROVE);
    const first = await api.create(fabrikam, WOODGROVE, T.contoso, { requestId });
    const second = await api.create(fabrikam, WOODGROVE, T.contoso, { requestId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('ms-idempotent-replay')).toBe('true');
    expect(first.body.id).toBe(transferIdForRequest(T.fabrikam, WOODGROVE, requestId));
    const after = await customerTransferIds(WOODGROVE);
    expect(after.filter((id) => !before.includes(id))).toEqual([first.body.id]);
  });

  it('the same id with another body or path is refused with RequestIdReused', async () => {
    const requestId = randomUUID();
    const first = await api.create(fabrikam, WOODGROVE, T.contoso, { requestId });
    expect(first.status).toBe(201);
    const before = await customerTransferIds(WOODGROVE);
    const otherBody = await api.create(fabrikam, WOODGROVE, T.contoso, {
      requestId,
      extra: { customerEmailId: 'someone-else@woodgrove.example' },
    });
    expect([otherBody.status, otherBody.body.code]).toEqual([422, 'RequestIdReused']);
    const otherPath = await api.submit(contoso, WOODGROVE, first.body.id, requestId);
    // Request ids are per tenant: Contoso's use of the same id is its own request.
    expect(otherPath.body.code).toBe('NoLineItems');
    const otherRoute = await api.cancel(fabrikam, WOODGROVE, first.body.id, requestId);
    expect([otherRoute.status, otherRoute.body.code]).toEqual([422, 'RequestIdReused']);
    expect(await customerTransferIds(WOODGROVE)).toEqual(before);
    expect((await storedTransfer(cloud, WOODGROVE, first.body.id)).status).toBe('Active');
  });

  it('a retried submit replays its success instead of answering 409; a new id gets the 409', async () => {
    const transfer = await pendingTransfer();
    const subscription = await newSubscription();
    await api.setLineItems(contoso, WOODGROVE, transfer.id, [
      { subscriptionId: subscription.subscriptionId },
    ]);
    const requestId = randomUUID();
    const first = await api.submit(contoso, WOODGROVE, transfer.id, requestId);
    const retry = await api.submit(contoso, WOODGROVE, transfer.id, requestId);
    expect(first.status).toBe(202);
    expect([retry.status, retry.headers.get('location'), retry.body]).toEqual([
      202,
      first.headers.get('location'),
      first.body,
    ]);
    const other = await api.submit(contoso, WOODGROVE, transfer.id, randomUUID());
    expect(other.status).toBe(409);
  });

  it('a refusal is remembered too, unless it depends on who asks (403)', async () => {
    const transfer = await pendingTransfer();
    const requestId = randomUUID();
    const first = await api.submit(contoso, WOODGROVE, transfer.id, requestId);
    const retry = await api.submit(contoso, WOODGROVE, transfer.id, requestId);
    expect([first.status, retry.status]).toEqual([422, 422]);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('ms-idempotent-replay')).toBe('true');
    const forbiddenId = randomUUID();
    const forbidden = await api.cancel(contoso, WOODGROVE, transfer.id, forbiddenId);
    const forbiddenRetry = await api.cancel(contoso, WOODGROVE, transfer.id, forbiddenId);
    expect([forbidden.status, forbiddenRetry.status]).toEqual([403, 403]);
    expect(forbiddenRetry.headers.get('ms-idempotent-replay')).toBeNull();
  });

  describe('a create that crashed after writing the transfer is completed by its retry', () => {
    const crashedCreate = (requestId: string, sourceTenantId: string) => {
      const source = SANDBOX_PARTNERS.find((partner) => partner.tenantId === sourceTenantId)!;
      const target = SANDBOX_PARTNERS.find((partner) => partner.tenantId === T.fabrikam)!;
      const body = api.createBody(WOODGROVE, sourceTenantId) as Parameters<typeof newTransfer>[0]['request'];
      return newTransfer({
        id: transferIdForRequest(T.fabrikam, WOODGROVE, requestId),
        customerId: WOODGROVE,
        request: body,
        caller: { tenantId: T.fabrikam, userId: 'fabrikam-admin', roles: ['AdminAgent'] },
        sourcePartner: source,
        targetPartner: target,
        now: new Date(Date.now() - 60_000),
      });
    };

    it('same request: the stored transfer is answered, audited and its workflow started', async () => {
      const requestId = randomUUID();
      const written = crashedCreate(requestId, T.contoso);
      await cloud.storage.transfers.create(written);
      const before = await customerTransferIds(WOODGROVE);

      const retry = await api.create(fabrikam, WOODGROVE, T.contoso, { requestId });
      expect(retry.status).toBe(201);
      expect(retry.body).toMatchObject({
        id: written.id,
        createdTime: written.createdTime,
        status: 'Active',
      });
      expect(await customerTransferIds(WOODGROVE)).toEqual(before);
      expect(await auditOperations(T.fabrikam, written.id)).toContain('TransferCreated');
      const sfn = new SFNClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.stepfunctions });
      const executionArn = `${cloud.stateMachineArn.replace(':stateMachine:', ':execution:')}:${written.id}`;
      await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).resolves.toBeDefined();
      sfn.destroy();
    });

    it('another request under the same id is refused', async () => {
      const requestId = randomUUID();
      await cloud.storage.transfers.create(crashedCreate(requestId, T.contoso));
      const other = await api.create(fabrikam, WOODGROVE, T.northwind, { requestId });
      expect([other.status, other.body.code]).toEqual([422, 'RequestIdReused']);
    });
  });
});
