// Directory and subscription repositories against a real dynalite.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { Storage } from '#application/ports.ts';
import { NotFoundError, SubscriptionConflictError } from '#application/storage-errors.ts';
import type { Partner, Subscription } from '#domain/model.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';

let db: LocalDynamoDb;
let storage: Storage;

beforeAll(async () => {
  db = await startDynalite('storage-directory-test');
  storage = createDynamoDbStorage({ documentClient: db.documentClient, tableName: db.tableName });
});

afterAll(async () => {
  await db.stop();
});

const uid = (prefix: string) => `${prefix}-${randomUUID()}`;

function partner(overrides: Partial<Partner> = {}): Partner {
  return {
    tenantId: uid('tenant'),
    name: 'Contoso',
    kind: 'DirectBill',
    partnerId: '1234567',
    partnerAgreementSigned: true,
    adminEmails: ['admin@contoso.example', 'ops@contoso.example'],
    ...overrides,
  };
}

function subscription(
  customerId: string,
  billingPartnerTenantId: string,
  overrides: Partial<Subscription> = {},
) {
  const value: Subscription = {
    subscriptionId: uid('sub'),
    customerId,
    billingPartnerTenantId,
    productType: 'OnlineServicesNCE',
    friendlyName: 'Microsoft 365 E3',
    offerId: 'CFQ7TTC0LF8Q',
    skuId: '0001',
    catalogItemId: 'CFQ7TTC0LF8Q:0001:CFQ7TTC0N8SS',
    quantity: 25,
    billingCycle: 'Monthly',
    termDuration: 'P1Y',
    version: 1,
    ...overrides,
  };
  return value;
}

describe('DirectoryRepository', () => {
  it('stores and reads a partner with its admin emails; seeding twice never clobbers', async () => {
    const contoso = partner();
    expect(await storage.directory.putPartner(contoso)).toBe(true);
    expect(await storage.directory.putPartner({ ...contoso, name: 'Changed' })).toBe(false);
    expect(await storage.directory.getPartner(contoso.tenantId)).toEqual(contoso);
    expect(await storage.directory.putPartner({ ...contoso, name: 'Changed' }, { overwrite: true })).toBe(
      true,
    );
    expect((await storage.directory.getPartner(contoso.tenantId))?.name).toBe('Changed');
    expect(await storage.directory.getPartner('nobody')).toBeUndefined();
  });

  it('lists all partners page by page', async () => {
    const created = [partner(), partner({ kind: 'IndirectProvider' }), partner({ kind: 'IndirectReseller' })];
    for (const each of created) await storage.directory.putPartner(each);
    const seen: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await storage.directory.listPartners({
        limit: 2,
        ...(continuationToken ? { continuationToken } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((each) => each.tenantId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(new Set(seen).size).toBe(seen.length);
    for (const each of created) expect(seen).toContain(each.tenantId);
  });

  it('stores users per partner and finds one by id alone', async () => {
    const tenantId = uid('tenant');
    const admin = {
      userId: uid('user'),
      tenantId,
      role: 'AdminAgent' as const,
      name: 'Ada',
      email: 'ada@x.example',
    };
    const sales = {
      userId: uid('user'),
      tenantId,
      role: 'SalesAgent' as const,
      name: 'Sam',
      email: 'sam@x.example',
    };
    await storage.directory.putUser(admin);
    await storage.directory.putUser(sales);
    await storage.directory.putUser({ ...admin, userId: uid('user'), tenantId: uid('other-tenant') });
    expect(await storage.directory.getUser(tenantId, admin.userId)).toEqual(admin);
    expect(await storage.directory.findUserById(sales.userId)).toEqual(sales);
    expect(await storage.directory.findUserById('missing')).toBeUndefined();
    const users = await storage.directory.listUsersOfPartner(tenantId);
    expect(users.items.map((user) => user.userId).sort()).toEqual([admin.userId, sales.userId].sort());
    expect(users.continuationToken).toBeUndefined();
  });

  it('stores customers and relationships, listed from both sides', async () => {
    const customerId = uid('customer');
    const [target, source] = [uid('target'), uid('source')];
    await storage.directory.putCustomer({
      customerId,
      name: 'Fabrikam',
      contactEmail: 'it@fabrikam.example',
    });
    const toTarget = {
      customerId,
      partnerTenantId: target,
      status: 'Active' as const,
      customerAgreementSigned: true,
    };
    const toSource = {
      customerId,
      partnerTenantId: source,
      status: 'Active' as const,
      customerAgreementSigned: true,
    };
    await storage.directory.putRelationship(toTarget);
    await storage.directory.putRelationship(toSource);
    expect(await storage.directory.getCustomer(customerId)).toEqual({
      customerId,
      name: 'Fabrikam',
      contactEmail: 'it@fabrikam.example',
    });
    expect(await storage.directory.getRelationship(customerId, target)).toEqual(toTarget);
    expect(await storage.directory.getRelationship(customerId, uid('stranger'))).toBeUndefined();
    const ofCustomer = await storage.directory.listRelationshipsOfCustomer(customerId);
    expect(ofCustomer.items).toHaveLength(2);
    const ofTarget = await storage.directory.listRelationshipsOfPartner(target);
    expect(ofTarget.items).toEqual([toTarget]);
    const customers = await storage.directory.listCustomers({ limit: 1000 });
    expect(customers.items.map((each) => each.customerId)).toContain(customerId);
  });
});

describe('SubscriptionRepository', () => {
  it('stores, reads, lists by customer and reads many at once', async () => {
    const customerId = uid('customer');
    const source = uid('source');
    const subscriptions = [subscription(customerId, source), subscription(customerId, source)];
    for (const each of subscriptions) expect(await storage.subscriptions.put(each)).toBe(true);
    expect(await storage.subscriptions.put(subscriptions[0]!)).toBe(false);
    expect(await storage.subscriptions.get(customerId, subscriptions[0]!.subscriptionId)).toEqual(
      subscriptions[0],
    );
    expect(await storage.subscriptions.get(customerId, 'missing')).toBeUndefined();
    const listed = await storage.subscriptions.listByCustomer(customerId);
    expect(listed.items.map((each) => each.subscriptionId).sort()).toEqual(
      subscriptions.map((each) => each.subscriptionId).sort(),
    );
    const many = await storage.subscriptions.getMany(customerId, [
      subscriptions[1]!.subscriptionId,
      'missing',
      subscriptions[0]!.subscriptionId,
    ]);
    expect(many.map((each) => each.subscriptionId)).toEqual([
      subscriptions[1]!.subscriptionId,
      subscriptions[0]!.subscriptionId,
    ]);
  });

  it('reads 150 subscriptions in one getMany (more than one batch)', async () => {
    const customerId = uid('customer');
    const source = uid('source');
    const subscriptions = Array.from({ length: 150 }, (_, index) =>
      subscription(customerId, source, { subscriptionId: `sub-${index}` }),
    );
    await Promise.all(subscriptions.map((each) => storage.subscriptions.put(each)));
    const many = await storage.subscriptions.getMany(
      customerId,
      subscriptions.map((each) => each.subscriptionId),
    );
    expect(many.map((each) => each.subscriptionId)).toEqual(subscriptions.map((each) => each.subscriptionId));
  });

  it('lists a billing partner’s subscriptions page by page, each exactly once', async () => {
    const source = uid('source');
    const ids: string[] = [];
    for (let customer = 0; customer < 3; customer++) {
      const customerId = uid('customer');
      for (let index = 0; index < 4; index++) {
        const each = subscription(customerId, source);
        ids.push(each.subscriptionId);
        await storage.subscriptions.put(each);
      }
    }
    const seen: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await storage.subscriptions.listByBillingPartner(source, {
        limit: 5,
        ...(continuationToken ? { continuationToken } : {}),
      });
      seen.push(...page.items.map((each) => each.subscriptionId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it('claims for a transfer: again for the same transfer, never for a second one', async () => {
    const customerId = uid('customer');
    const source = uid('source');
    const owned = subscription(customerId, source);
    await storage.subscriptions.put(owned);
    const claimed = await storage.subscriptions.claimForTransfer(
      customerId,
      owned.subscriptionId,
      'transfer-1',
      source,
    );
    expect(claimed.openTransferId).toBe('transfer-1');
    expect(claimed.version).toBe(2);
    await storage.subscriptions.claimForTransfer(customerId, owned.subscriptionId, 'transfer-1', source);
    const refused = await storage.subscriptions
      .claimForTransfer(customerId, owned.subscriptionId, 'transfer-2', source)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SubscriptionConflictError);
    expect((refused as SubscriptionConflictError).reason).toBe('claimed-by-another-transfer');
    expect((refused as SubscriptionConflictError).message).toContain('claimed by another transfer');
    expect((refused as SubscriptionConflictError).claimedByTransferId).toBe('transfer-1');
  });

  it('two transfers claiming one subscription at once: exactly one wins', async () => {
    const customerId = uid('customer');
    const source = uid('source');
    const contested = subscription(customerId, source);
    await storage.subscriptions.put(contested);
    const results = await Promise.allSettled(
      ['transfer-a', 'transfer-b', 'transfer-c', 'transfer-d'].map((transferId) =>
        storage.subscriptions.claimForTransfer(customerId, contested.subscriptionId, transferId, source),
      ),
    );
    const winners = results.filter((result) => result.status === 'fulfilled');
    const losers = results.filter((result) => result.status === 'rejected');
    expect(winners).toHaveLength(1);
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(SubscriptionConflictError);
      expect(loser.reason.code).toBe('SubscriptionClaimedByAnotherTransfer');
    }
    const stored = await storage.subscriptions.get(customerId, contested.subscriptionId);
    expect(stored?.openTransferId).toBe(
      (winners[0] as PromiseFulfilledResult<Subscription>).value.openTransferId,
    );
  });

  it('refuses a claim when the source does not bill the subscription, or it does not exist', async () => {
    const customerId = uid('customer');
    const owned = subscription(customerId, uid('billing'));
    await storage.subscriptions.put(owned);
    const refused = await storage.subscriptions
      .claimForTransfer(customerId, owned.subscriptionId, 'transfer-1', uid('not-the-source'))
      .catch((error: unknown) => error);
    expect((refused as SubscriptionConflictError).reason).toBe('not-billed-by-source');
    expect((refused as SubscriptionConflictError).code).toBe('SubscriptionNotBilledBySource');
    await expect(
      storage.subscriptions.claimForTransfer(
        customerId,
        'missing',
        'transfer-1',
        owned.billingPartnerTenantId,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('releases only its own claim', async () => {
    const customerId = uid('customer');
    const source = uid('source');
    const owned = subscription(customerId, source);
    await storage.subscriptions.put(owned);
    await storage.subscriptions.claimForTransfer(customerId, owned.subscriptionId, 'transfer-1', source);
    expect(await storage.subscriptions.releaseClaim(customerId, owned.subscriptionId, 'transfer-2')).toBe(
      false,
    );
    expect((await storage.subscriptions.get(customerId, owned.subscriptionId))?.openTransferId).toBe(
      'transfer-1',
    );
    expect(await storage.subscriptions.releaseClaim(customerId, owned.subscriptionId, 'transfer-1')).toBe(
      true,
    );
    expect(await storage.subscriptions.releaseClaim(customerId, owned.subscriptionId, 'transfer-1')).toBe(
      false,
    );
    expect(
      (await storage.subscriptions.get(customerId, owned.subscriptionId))?.openTransferId,
    ).toBeUndefined();
    await storage.subscriptions.claimForTransfer(customerId, owned.subscriptionId, 'transfer-2', source);
  });

  it("finds the subscriptions a transfer claims among the customer's others", async () => {
    const customerId = uid('customer');
    const otherCustomerId = uid('customer');
    const source = uid('source');
    const [transfer, otherTransfer] = [uid('transfer'), uid('transfer')];
    const subscriptions = Array.from({ length: 30 }, () => subscription(customerId, source));
    const elsewhere = subscription(otherCustomerId, source);
    await Promise.all([...subscriptions, elsewhere].map((each) => storage.subscriptions.put(each)));
    const claim = (each: Subscription, by: string) =>
      storage.subscriptions.claimForTransfer(each.customerId, each.subscriptionId, by, source);
    const ours = subscriptions.filter((_, index) => index % 3 === 0);
    await Promise.all(ours.map((each) => claim(each, transfer)));
    await Promise.all(
      subscriptions.filter((_, index) => index % 3 === 1).map((each) => claim(each, otherTransfer)),
    );
    await claim(elsewhere, transfer);
    await storage.subscriptions.releaseClaim(customerId, ours[0]!.subscriptionId, transfer);

    const claimed = await storage.subscriptions.claimedBy(customerId, transfer);
    expect(claimed.sort()).toEqual(
      ours
        .slice(1)
        .map((each) => each.subscriptionId)
        .sort(),
    );
    expect(await storage.subscriptions.claimedBy(customerId, uid('transfer'))).toEqual([]);
  });

  it('moves the billing owner once; the second call reports alreadyMoved', async () => {
    const customerId = uid('customer');
    const [source, target] = [uid('source'), uid('target')];
    const moving = subscription(customerId, source, { partnerIdOnRecord: 'old-reseller' });
    await storage.subscriptions.put(moving);
    await storage.subscriptions.claimForTransfer(customerId, moving.subscriptionId, 'transfer-1', source);
    const request = {
      customerId,
      subscriptionId: moving.subscriptionId,
      transferId: 'transfer-1',
      fromTenantId: source,
      toTenantId: target,
      partnerIdOnRecord: 'new-reseller',
    };
    const first = await storage.subscriptions.moveBillingOwner(request);
    expect(first.alreadyMoved).toBe(false);
    expect(first.subscription).toMatchObject({
      billingPartnerTenantId: target,
      movedByTransferId: 'transfer-1',
      partnerIdOnRecord: 'new-reseller',
      version: 3,
    });
    expect(first.subscription.openTransferId).toBeUndefined();
    const second = await storage.subscriptions.moveBillingOwner(request);
    expect(second.alreadyMoved).toBe(true);
    const stored = await storage.subscriptions.get(customerId, moving.subscriptionId);
    expect(stored?.billingPartnerTenantId).toBe(target);
    expect(stored?.version).toBe(3);
    // The billing-partner index follows the move.
    expect(
      (await storage.subscriptions.listByBillingPartner(target)).items.map((each) => each.subscriptionId),
    ).toEqual([moving.subscriptionId]);
    expect((await storage.subscriptions.listByBillingPartner(source)).items).toEqual([]);
  });

  it('without a partner of record, the move removes the old one', async () => {
    const customerId = uid('customer');
    const [source, target] = [uid('source'), uid('target')];
    const moving = subscription(customerId, source, { partnerIdOnRecord: 'old-reseller' });
    await storage.subscriptions.put(moving);
    await storage.subscriptions.claimForTransfer(customerId, moving.subscriptionId, 't', source);
    const moved = await storage.subscriptions.moveBillingOwner({
      customerId,
      subscriptionId: moving.subscriptionId,
      transferId: 't',
      fromTenantId: source,
      toTenantId: target,
    });
    expect(moved.subscription.partnerIdOnRecord).toBeUndefined();
  });

  it('refuses a move of a subscription another transfer claimed, or from the wrong owner', async () => {
    const customerId = uid('customer');
    const [source, target] = [uid('source'), uid('target')];
    const unclaimed = subscription(customerId, source);
    await storage.subscriptions.put(unclaimed);
    const move = (subscriptionId: string, transferId: string, fromTenantId: string) =>
      storage.subscriptions
        .moveBillingOwner({ customerId, subscriptionId, transferId, fromTenantId, toTenantId: target })
        .then(
          () => expect.unreachable('the move should be refused'),
          (error: unknown) => error as SubscriptionConflictError,
        );
    await storage.subscriptions.claimForTransfer(customerId, unclaimed.subscriptionId, 't2', source);
    expect((await move(unclaimed.subscriptionId, 't1', source)).reason).toBe('claimed-by-another-transfer');
    expect((await move(unclaimed.subscriptionId, 't2', uid('wrong-owner'))).reason).toBe(
      'not-billed-by-source',
    );
    expect(await move('missing', 't2', source)).toBeInstanceOf(NotFoundError);
    expect(
      (await storage.subscriptions.get(customerId, unclaimed.subscriptionId))?.billingPartnerTenantId,
    ).toBe(source);
  });

  it('a move takes an unclaimed subscription billed by the source (a claim a racing update released), once', async () => {
    const customerId = uid('customer');
    const [source, target] = [uid('source'), uid('target')];
    const released = subscription(customerId, source);
    await storage.subscriptions.put(released);
    const request = {
      customerId,
      subscriptionId: released.subscriptionId,
      transferId: 't1',
      fromTenantId: source,
      toTenantId: target,
    };
    const first = await storage.subscriptions.moveBillingOwner(request);
    expect(first).toMatchObject({ alreadyMoved: false, subscription: { billingPartnerTenantId: target } });
    expect(first.subscription.openTransferId).toBeUndefined();
    expect(await storage.subscriptions.moveBillingOwner(request)).toMatchObject({ alreadyMoved: true });
  });
});
