// The read side of the transfer API over HTTP, like a partner system: one transfer, customer and partner listings
// with filters and pagination, eligibility of every product type, subscriptions, relationships and the audit log.
// Transfers are written straight into storage with the domain's factory (reads never depend on the workflow).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#api/routes.ts';
import {
  AUDIT_RECORD_COLLECTION_SCHEMA,
  CUSTOMER_PARTNER_COLLECTION_SCHEMA,
  HEALTH_SCHEMA,
  PARTNER_PROFILE_SCHEMA,
  RELATIONSHIP_COLLECTION_SCHEMA,
} from '#api/schemas/partner-read-schemas.ts';
import {
  ELIGIBILITY_COLLECTION_SCHEMA,
  SUBSCRIPTION_COLLECTION_SCHEMA,
  SUBSCRIPTION_ELIGIBILITY_SCHEMA,
} from '#api/schemas/subscription-read-schemas.ts';
import { TRANSFER_COLLECTION_SCHEMA, TRANSFER_SCHEMA } from '#api/schemas/transfer-read-schemas.ts';
import { auditRecordsFor } from '#domain/audit.ts';
import {
  NON_TRANSFERABLE_PRODUCT_TYPES,
  type Subscription,
  TRANSFERABLE_PRODUCT_TYPES,
  type Transfer,
} from '#domain/model.ts';
import { NON_TRANSFERABLE_REASONS } from '#domain/product-types.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  type ApiAnswer,
  callApi,
  expectToMatchSchema,
  sandboxSubscriptions,
  storeTransfer,
  tokenCache,
} from './support/seeded-transfers.ts';

const T = SANDBOX_TENANTS;
const C = SANDBOX_CUSTOMERS;
const LITWARE_PARTNER_ID = '3000005';
const BASE = Date.parse('2031-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(BASE + minutes * 60_000);

let cloud: TestCloud;
let token: ReturnType<typeof tokenCache>;
/** Contoso -> Fabrikam for Woodgrove, moving: one item moved, one failed with an error. */
let moving: Transfer;
/** Contoso -> Northwind for Woodgrove, naming the reseller Litware as partner of record. */
let withReseller: Transfer;
/** Northwind -> Adatum for Alpine: 27 transfers for pagination, alternately Active and Canceled. */
let many: Transfer[];

const woodgroveByContoso = () => sandboxSubscriptions(C.woodgrove, T.contoso);
const subscriptionOfType = (subscriptions: readonly Subscription[], type: Subscription['productType']) => {
  const found = subscriptions.find((subscription) => subscription.productType === type);
  if (!found) throw new Error(`no ${type}`);
  return found;
};
/** The second OnlineServicesNCE subscription of Woodgrove: claimed by `withReseller` (an open transfer). */
const claimedSubscription = () =>
  woodgroveByContoso().filter((s) => s.productType === 'OnlineServicesNCE')[1]!;

async function get(
  path: string,
  tenantId: string | undefined,
  role: 'AdminAgent' | 'SalesAgent' = 'AdminAgent',
) {
  return callApi(cloud, path, tenantId ? { token: await token(tenantId, role) } : {});
}

/** Follows links.next from `path` to the end; every page must fit the schema and the limit. */
async function allPages(
  path: string,
  tenantId: string,
  limit: number,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const answer = await get(next, tenantId, 'SalesAgent');
    expect(answer.status).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    expect(answer.body.totalCount).toBe(answer.body.items.length);
    ids.push(...answer.body.items.map((item: { id: string }) => item.id));
    next = answer.body.links.next?.uri;
    if (next) expect(answer.body.continuationToken).toBeTruthy();
    pages += 1;
    if (pages > 50) throw new Error('pagination does not end');
  }
  return { ids, pages };
}

const expectNotFound = (answer: ApiAnswer, code: string) => {
  expect(answer.status).toBe(404);
  expect(answer.body).toMatchObject({ code, description: expect.any(String) });
};

const expectInvalid = (answer: ApiAnswer, field: string, code = 'InvalidRequest') => {
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe(code);
  expect(answer.body.details.map((detail: { field?: string }) => detail.field)).toContain(field);
};

beforeAll(async () => {
  cloud = await startTestCloud();
  token = tokenCache(cloud);
  const subscriptions = woodgroveByContoso();
  moving = await storeTransfer(cloud.storage, {
    customerId: C.woodgrove,
    sourceTenantId: T.contoso,
    targetTenantId: T.fabrikam,
    createdAt: at(0),
    status: 'InProgress',
    lineItems: [
      {
        subscription: subscriptionOfType(subscriptions, 'AzureSubscription'),
        overrides: { status: 'Complete', attempts: 1, completedTime: at(5).toISOString() },
      },
      {
        subscription: subscriptionOfType(subscriptions, 'AzureReservation'),
        overrides: {
          status: 'Failed',
          attempts: 3,
          transferError: { code: 'SubscriptionSuspended', description: 'The reservation is suspended.' },
        },
      },
      {
        subscription: subscriptionOfType(subscriptions, 'AzureSavingsPlan'),
        overrides: { status: 'InProgress' },
      },
    ],
  });
  withReseller = await storeTransfer(cloud.storage, {
    customerId: C.woodgrove,
    sourceTenantId: T.contoso,
    targetTenantId: T.northwind,
    createdAt: at(1),
    partnerOnRecord: LITWARE_PARTNER_ID,
    lineItems: [{ subscription: claimedSubscription() }],
  });
  await cloud.storage.subscriptions.claimForTransfer(
    C.woodgrove,
    claimedSubscription().subscriptionId,
    withReseller.id,
    T.contoso,
  );
  many = [];
  for (let index = 0; index < 27; index++) {
    many.push(
      await storeTransfer(cloud.storage, {
        customerId: C.alpine,
        sourceTenantId: T.northwind,
        targetTenantId: T.adatum,
        createdAt: at(10 + index),
        status: index % 2 === 0 ? 'Active' : 'Canceled',
      }),
    );
  }
  for (const record of [
    ...auditRecordsFor(moving, 'TransferCreated', 'fabrikam-admin', at(0).toISOString()),
    ...auditRecordsFor(moving, 'TransferAccepted', 'contoso-admin', at(2).toISOString()),
    ...auditRecordsFor(withReseller, 'TransferCreated', 'northwind-admin', at(1).toISOString()),
  ]) {
    await cloud.storage.audit.append(record);
  }
});

afterAll(async () => {
  await cloud?.stop();
});

const transferPath = (transfer: Transfer) =>
  `/v1/customers/${transfer.customerTenantId}/transfers/${transfer.id}`;

describe('GET one transfer', () => {
  it('shows the source partner the transfer with per-line-item status, errors and progress', async () => {
    const answer = await get(transferPath(moving), T.contoso, 'SalesAgent');
    expect(answer.status).toBe(200);
    expectToMatchSchema(TRANSFER_SCHEMA, answer.body);
    expect(answer.body).toMatchObject({
      id: moving.id,
      status: 'InProgress',
      customerTenantId: C.woodgrove,
      customerEmailId: moving.customerEmailId,
      sourcePartnerTenantId: T.contoso,
      sourcePartnerName: 'Contoso Direct',
      targetPartnerTenantId: T.fabrikam,
      targetPartnerName: 'Fabrikam Direct',
      transferType: 3,
      progress: { moved: 1, failed: 1, total: 3 },
      links: { self: { uri: transferPath(moving), method: 'GET' } },
    });
    expect(
      answer.body.lineItems.map((item: { status: string; attempts: number }) => [item.status, item.attempts]),
    ).toEqual([
      ['Complete', 1],
      ['Failed', 3],
      ['InProgress', 0],
    ]);
    expect(answer.body.lineItems[1].transferError).toEqual({
      code: 'SubscriptionSuspended',
      description: 'The reservation is suspended.',
    });
    expect(answer.body.lineItems[0].completedTime).toBe(at(5).toISOString());
    expect(answer.text).not.toContain('version');
    expect(answer.text).not.toContain('acceptanceTaskToken');
  });

  it('shows it to both parties with any role, and to a reseller named as partner of record', async () => {
    for (const [tenantId, role] of [
      [T.contoso, 'AdminAgent'],
      [T.fabrikam, 'AdminAgent'],
      [T.fabrikam, 'SalesAgent'],
    ] as const) {
      const answer = await get(transferPath(moving), tenantId, role);
      expect(answer.status).toBe(200);
      expect(answer.body.id).toBe(moving.id);
    }
    const reseller = await get(transferPath(withReseller), T.litware, 'SalesAgent');
    expect(reseller.status).toBe(200);
    expect(reseller.body).toMatchObject({ id: withReseller.id, partnerOnRecord: LITWARE_PARTNER_ID });
  });

  it('answers anyone else exactly like a transfer that does not exist', async () => {
    const missing = await get(`/v1/customers/${C.woodgrove}/transfers/${randomUUID()}`, T.adatum);
    expectNotFound(missing, 'TransferNotFound');
    for (const [transfer, tenantId] of [
      [moving, T.adatum],
      [moving, T.litware],
      [moving, T.northwind],
      [withReseller, T.fabrikam],
    ] as const) {
      const answer = await get(transferPath(transfer), tenantId);
      expectNotFound(answer, 'TransferNotFound');
      expect(answer.body).toEqual(missing.body);
      expect(answer.text).not.toContain(transfer.customerEmailId);
    }
  });

  it('finds a transfer only under its own customer', async () => {
    expectNotFound(
      await get(`/v1/customers/${C.alpine}/transfers/${moving.id}`, T.contoso),
      'TransferNotFound',
    );
  });

  it('refuses malformed ids with a 400 naming the path parameter', async () => {
    expectInvalid(
      await get(`/v1/customers/${C.woodgrove}/transfers/not-a-guid`, T.contoso),
      'path.transferId',
    );
    expectInvalid(await get(`/v1/customers/x%23y/transfers/${moving.id}`, T.contoso), 'path.customerId');
    expectInvalid(await get(`${transferPath(moving)}?expand=all`, T.contoso), 'query.expand');
  });

  it('needs a token', async () => {
    const answer = await get(transferPath(moving), undefined);
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('Unauthorized');
  });
});

describe('GET the transfers of a customer', () => {
  const path = `/v1/customers/${C.woodgrove}/transfers`;

  it('lists only the transfers the caller is a party to, newest first', async () => {
    const contoso = await get(path, T.contoso, 'SalesAgent');
    expect(contoso.status).toBe(200);
    expectToMatchSchema(TRANSFER_COLLECTION_SCHEMA, contoso.body);
    expect(contoso.body.items.map((item: { id: string }) => item.id)).toEqual([withReseller.id, moving.id]);
    expect(contoso.body).toMatchObject({ totalCount: 2, links: { self: { uri: `${path}?limit=25` } } });
    expect(contoso.body.continuationToken).toBeUndefined();
    expect(contoso.body.links.next).toBeUndefined();
    expect(contoso.body.items[1]).toMatchObject({ lineItemCount: 3, status: 'InProgress' });
    expect(contoso.body.items[1].lineItems).toBeUndefined();

    const fabrikam = await get(path, T.fabrikam);
    expect(fabrikam.body.items.map((item: { id: string }) => item.id)).toEqual([moving.id]);
    const litware = await get(path, T.litware, 'SalesAgent');
    expect(litware.body.items.map((item: { id: string }) => item.id)).toEqual([withReseller.id]);
    const adatum = await get(path, T.adatum);
    expect(adatum.status).toBe(200);
    expect(adatum.body).toMatchObject({ totalCount: 0, items: [] });
  });

  it('filters by status, comma-separated or repeated', async () => {
    const ids = async (query: string) =>
      (await get(`${path}?${query}`, T.contoso)).body.items.map((item: { id: string }) => item.id);
    expect(await ids('status=Active')).toEqual([withReseller.id]);
    expect(await ids('status=InProgress')).toEqual([moving.id]);
    expect(await ids('status=Active,InProgress')).toEqual([withReseller.id, moving.id]);
    expect(await ids('status=Active&status=InProgress')).toEqual([withReseller.id, moving.id]);
    expect(await ids('status=Complete')).toEqual([]);
  });

  it('refuses unknown statuses, parameters and limits with a 400 naming the field', async () => {
    expectInvalid(await get(`${path}?status=Pending`, T.contoso), 'query.status.0');
    expectInvalid(await get(`${path}?status=Active&status=Bogus`, T.contoso), 'query.status.1');
    expectInvalid(await get(`${path}?sort=asc`, T.contoso), 'query.sort');
    for (const limit of ['0', '101', 'ten', '1e1', '-1', '']) {
      expectInvalid(await get(`${path}?limit=${limit}`, T.contoso), 'query.limit');
    }
    expectInvalid(await get(`/v1/customers/not-a-guid/transfers`, T.contoso), 'path.customerId');
  });
});

describe('GET /v1/transfers (inbox and outbox)', () => {
  it('pages through 27 transfers with limit 10: each exactly once, newest first', async () => {
    const outbox = await allPages('/v1/transfers?direction=outgoing&limit=10', T.adatum, 10);
    expect(outbox.ids).toEqual([...many].reverse().map((transfer) => transfer.id));
    expect(outbox.pages).toBeGreaterThanOrEqual(3);
    const inbox = await allPages('/v1/transfers?direction=incoming&limit=10', T.northwind, 10);
    expect(inbox.ids).toEqual(outbox.ids);
  });

  it('keeps the filters in links.next', async () => {
    const first = await get('/v1/transfers?direction=outgoing&status=Canceled&limit=5', T.adatum);
    expect(first.status).toBe(200);
    expectToMatchSchema(TRANSFER_COLLECTION_SCHEMA, first.body);
    expect(first.body.links.next.uri).toMatch(
      /^\/v1\/transfers\?direction=outgoing&status=Canceled&limit=5&/,
    );
    const canceled = await allPages('/v1/transfers?direction=outgoing&status=Canceled&limit=5', T.adatum, 5);
    expect(canceled.ids).toEqual(
      [...many]
        .reverse()
        .filter((transfer) => transfer.status === 'Canceled')
        .map((transfer) => transfer.id),
    );
    expect(canceled.ids).toHaveLength(13);
  });

  it('shows a partner only its own side', async () => {
    const fabrikamIncoming = await get('/v1/transfers?direction=incoming', T.fabrikam);
    expect(fabrikamIncoming.body.items).toEqual([]);
    const fabrikamOutgoing = await get('/v1/transfers?direction=outgoing', T.fabrikam, 'SalesAgent');
    expect(fabrikamOutgoing.body.items.map((item: { id: string }) => item.id)).toEqual([moving.id]);
    const contosoIncoming = await get('/v1/transfers?direction=incoming&status=Active', T.contoso);
    expect(contosoIncoming.body.items.map((item: { id: string }) => item.id)).toEqual([withReseller.id]);
  });

  it('needs a direction and refuses bad filters and foreign or garbage continuation tokens', async () => {
    expectInvalid(await get('/v1/transfers', T.adatum), 'query.direction');
    expectInvalid(await get('/v1/transfers?direction=sideways', T.adatum), 'query.direction');
    expectInvalid(await get('/v1/transfers?direction=incoming&status=', T.adatum), 'query.status.0');
    expectInvalid(
      await get('/v1/transfers?direction=incoming&continuationToken=garbage!', T.adatum),
      'query.continuationToken',
      'InvalidContinuationToken',
    );
    const page = await get('/v1/transfers?direction=outgoing&limit=2', T.adatum);
    const foreignToken = page.body.continuationToken as string;
    expect(foreignToken).toBeTruthy();
    // Adatum's outbox token cannot read Northwind's inbox, nor Adatum's inbox.
    for (const [tenantId, direction] of [
      [T.northwind, 'incoming'],
      [T.adatum, 'incoming'],
    ] as const) {
      expectInvalid(
        await get(`/v1/transfers?direction=${direction}&continuationToken=${foreignToken}`, tenantId),
        'query.continuationToken',
        'InvalidContinuationToken',
      );
    }
  });
});

describe('transfer eligibility', () => {
  const eligibilityPath = (subscription: Subscription, query = '') =>
    `/v1/customers/${subscription.customerId}/subscriptions/${subscription.subscriptionId}/transfer-eligibility${query}`;

  it('judges every product type: transferable ones eligible, the others refused with their reason', async () => {
    for (const type of TRANSFERABLE_PRODUCT_TYPES) {
      const subscription = subscriptionOfType(woodgroveByContoso(), type);
      const answer = await get(eligibilityPath(subscription), T.contoso, 'SalesAgent');
      expect(answer.status).toBe(200);
      expectToMatchSchema(SUBSCRIPTION_ELIGIBILITY_SCHEMA, answer.body);
      expect(answer.body).toMatchObject({ subscriptionId: subscription.subscriptionId, productType: type });
      expect(answer.body).toMatchObject({ eligible: true, errors: [] });
    }
    for (const type of NON_TRANSFERABLE_PRODUCT_TYPES) {
      const subscription = subscriptionOfType(woodgroveByContoso(), type);
      const answer = await get(eligibilityPath(subscription), T.contoso);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        productType: type,
        eligible: false,
        errors: [{ code: 'ProductTypeNotTransferable', description: NON_TRANSFERABLE_REASONS[type] }],
      });
    }
  });

  it('refuses a subscription claimed by an open transfer, and types outside targetProductTypes', async () => {
    const claimed = await get(eligibilityPath(claimedSubscription()), T.contoso);
    expect(claimed.body).toMatchObject({ eligible: false, errors: [{ code: 'SubscriptionInOpenTransfer' }] });
    const azurePlan = subscriptionOfType(woodgroveByContoso(), 'AzureSubscription');
    const narrowed = await get(
      eligibilityPath(azurePlan, '?targetProductTypes=OnlineServicesNCE'),
      T.contoso,
    );
    expect(narrowed.body).toMatchObject({ eligible: false, errors: [{ code: 'ProductTypeNotRequested' }] });
    const widened = await get(
      eligibilityPath(azurePlan, '?targetProductTypes=OnlineServicesNCE,AzureSubscription'),
      T.contoso,
    );
    expect(widened.body).toMatchObject({ eligible: true });
    expectInvalid(
      await get(eligibilityPath(azurePlan, '?targetProductTypes=PerpetualSoftware'), T.contoso),
      'query.targetProductTypes.0',
    );
  });

  it('answers 404 to anyone but the billing partner, and for subscriptions that do not exist', async () => {
    const azurePlan = subscriptionOfType(woodgroveByContoso(), 'AzureSubscription');
    for (const tenantId of [T.fabrikam, T.northwind, T.litware]) {
      expectNotFound(await get(eligibilityPath(azurePlan), tenantId), 'SubscriptionNotFound');
    }
    expectNotFound(
      await get(`/v1/customers/${C.woodgrove}/subscriptions/${randomUUID()}/transfer-eligibility`, T.contoso),
      'SubscriptionNotFound',
    );
    // The right subscription under another customer is not found either.
    expectNotFound(
      await get(
        `/v1/customers/${C.alpine}/subscriptions/${azurePlan.subscriptionId}/transfer-eligibility`,
        T.contoso,
      ),
      'SubscriptionNotFound',
    );
  });

  it('lists every subscription the caller bills for the customer with its verdict', async () => {
    const answer = await get(`/v1/customers/${C.woodgrove}/transfer-eligibility`, T.contoso, 'SalesAgent');
    expect(answer.status).toBe(200);
    expectToMatchSchema(ELIGIBILITY_COLLECTION_SCHEMA, answer.body);
    const verdicts = new Map(
      answer.body.items.map(
        (item: { subscriptionId: string; eligible: boolean; errors: { code: string }[] }) => [
          item.subscriptionId,
          item.eligible ? 'eligible' : item.errors[0]?.code,
        ],
      ),
    );
    expect(verdicts.size).toBe(woodgroveByContoso().length);
    for (const subscription of woodgroveByContoso()) {
      const expected =
        subscription.subscriptionId === claimedSubscription().subscriptionId
          ? 'SubscriptionInOpenTransfer'
          : (TRANSFERABLE_PRODUCT_TYPES as readonly string[]).includes(subscription.productType)
            ? 'eligible'
            : 'ProductTypeNotTransferable';
      expect(verdicts.get(subscription.subscriptionId)).toBe(expected);
    }
    const northwind = await get(`/v1/customers/${C.alpine}/transfer-eligibility?limit=3`, T.northwind);
    expect(northwind.body.items).toHaveLength(3);
    const alpineAll = await allPagesOfItems(
      `/v1/customers/${C.alpine}/transfer-eligibility?limit=3`,
      T.northwind,
    );
    expect(alpineAll.sort()).toEqual(
      sandboxSubscriptions(C.alpine, T.northwind)
        .map((s) => s.subscriptionId)
        .sort(),
    );
    const stranger = await get(`/v1/customers/${C.woodgrove}/transfer-eligibility`, T.fabrikam);
    expect(stranger.body).toMatchObject({ totalCount: 0, items: [] });
  });
});

/** Like allPages, for collections whose items carry `subscriptionId` or `id`. */
async function allPagesOfItems(path: string, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = path;
  for (let pages = 0; next && pages < 50; pages++) {
    const answer = await get(next, tenantId);
    expect(answer.status).toBe(200);
    ids.push(
      ...answer.body.items.map(
        (item: { id?: string; subscriptionId?: string; tenantId?: string }) =>
          item.subscriptionId ?? item.id ?? item.tenantId,
      ),
    );
    next = answer.body.links.next?.uri;
  }
  return ids;
}

describe('GET the subscriptions of a customer', () => {
  it('lists only what the caller bills, each exactly once across pages', async () => {
    const first = await get(`/v1/customers/${C.woodgrove}/subscriptions?limit=3`, T.contoso, 'SalesAgent');
    expect(first.status).toBe(200);
    expectToMatchSchema(SUBSCRIPTION_COLLECTION_SCHEMA, first.body);
    expect(first.body.items).toHaveLength(3);
    const ids = await allPagesOfItems(`/v1/customers/${C.woodgrove}/subscriptions?limit=3`, T.contoso);
    expect(ids).toHaveLength(new Set(ids).size);
    expect([...ids].sort()).toEqual(
      woodgroveByContoso()
        .map((s) => s.subscriptionId)
        .sort(),
    );
    const claimed = (
      await get(`/v1/customers/${C.woodgrove}/subscriptions?limit=100`, T.contoso)
    ).body.items.find((item: { id: string }) => item.id === claimedSubscription().subscriptionId);
    expect(claimed).toMatchObject({
      openTransferId: withReseller.id,
      billingPartnerTenantId: T.contoso,
      links: { transferEligibility: { method: 'GET' } },
    });
    expect(claimed.version).toBeUndefined();
  });

  it('shows a partner nothing of subscriptions it does not bill', async () => {
    for (const tenantId of [T.fabrikam, T.litware]) {
      const answer = await get(`/v1/customers/${C.woodgrove}/subscriptions`, tenantId);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ totalCount: 0, items: [] });
    }
    const trey = await get(`/v1/customers/${C.trey}/subscriptions`, T.fabrikam);
    expect(trey.body.items).toHaveLength(sandboxSubscriptions(C.trey, T.fabrikam).length);
  });

  it('refuses a garbage continuation token naming query.continuationToken', async () => {
    expectInvalid(
      await get(`/v1/customers/${C.woodgrove}/subscriptions?continuationToken=eyJ2IjoxfQ`, T.contoso),
      'query.continuationToken',
      'InvalidContinuationToken',
    );
  });
});

describe('GET /v1/relationships', () => {
  it("lists the caller's customer relationships with the customers' names", async () => {
    const answer = await get('/v1/relationships', T.contoso, 'SalesAgent');
    expect(answer.status).toBe(200);
    expectToMatchSchema(RELATIONSHIP_COLLECTION_SCHEMA, answer.body);
    const byCustomer = Object.fromEntries(
      answer.body.items.map((item: { customerId: string }) => [item.customerId, item]),
    );
    expect(Object.keys(byCustomer).sort()).toEqual([C.woodgrove, C.alpine, C.trey].sort());
    expect(byCustomer[C.woodgrove]).toMatchObject({
      customerName: 'Woodgrove Bank',
      partnerTenantId: T.contoso,
      status: 'Active',
      customerAgreementSigned: true,
      links: { transfers: { uri: `/v1/customers/${C.woodgrove}/transfers`, method: 'GET' } },
    });
    expect(byCustomer[C.alpine]).toMatchObject({ status: 'Pending', customerAgreementSigned: false });
    expect(byCustomer[C.trey]).toMatchObject({ status: 'Active', customerAgreementSigned: false });
  });

  it('pages', async () => {
    const ids = await allPagesOfItems('/v1/relationships?limit=1', T.contoso);
    expect(ids).toHaveLength(3);
  });
});

describe('GET /v1/customers/{customerId}/partners', () => {
  const partnersOf = (
    customerId: string,
    tenantId: string,
    role: 'AdminAgent' | 'SalesAgent' = 'AdminAgent',
  ) => get(`/v1/customers/${customerId}/partners`, tenantId, role);

  it("lists the customer's other partners with name, kind and relationship status, the caller left out", async () => {
    const answer = await partnersOf(C.woodgrove, T.fabrikam);
    expect(answer.status, answer.text).toBe(200);
    expectToMatchSchema(CUSTOMER_PARTNER_COLLECTION_SCHEMA, answer.body);
    expect(answer.body.items).toEqual([
      { tenantId: T.contoso, name: 'Contoso Direct', kind: 'DirectBill', relationshipStatus: 'Active' },
      {
        tenantId: T.northwind,
        name: 'Northwind Provider',
        kind: 'IndirectProvider',
        relationshipStatus: 'Active',
      },
      { tenantId: T.adatum, name: 'Adatum Provider', kind: 'IndirectProvider', relationshipStatus: 'Active' },
      { tenantId: T.tailspin, name: 'Tailspin Direct', kind: 'DirectBill', relationshipStatus: 'Active' },
    ]);
  });

  it('shows a sales agent too, with pending relationships and resellers', async () => {
    const answer = await partnersOf(C.alpine, T.northwind, 'SalesAgent');
    expect(answer.status, answer.text).toBe(200);
    const byTenant = Object.fromEntries(
      answer.body.items.map((item: { tenantId: string }) => [item.tenantId, item]),
    );
    expect(Object.keys(byTenant).sort()).toEqual([T.litware, T.adatum, T.contoso, T.fabrikam].sort());
    expect(byTenant[T.contoso]).toMatchObject({ relationshipStatus: 'Pending' });
    expect(byTenant[T.litware]).toMatchObject({ name: 'Litware Reseller', kind: 'IndirectReseller' });
  });

  it('answers a partner without a relationship the same 404 as for a customer that does not exist', async () => {
    const notServed = await partnersOf(C.woodgrove, T.litware);
    const unknown = await partnersOf(randomUUID(), T.litware);
    expectNotFound(notServed, 'CustomerNotFound');
    expect(notServed.body).toEqual(unknown.body);
    expect(notServed.text).not.toContain(T.contoso);
  });

  it('pages, every other partner exactly once', async () => {
    const ids = await allPagesOfItems(`/v1/customers/${C.woodgrove}/partners?limit=1`, T.contoso);
    expect(ids).toEqual([T.fabrikam, T.northwind, T.adatum, T.tailspin]);
  });

  it("refuses another customer's continuation token, and bad input naming the field", async () => {
    const first = await get(`/v1/customers/${C.woodgrove}/partners?limit=1`, T.northwind);
    const token = first.body.continuationToken as string;
    expectInvalid(
      await get(`/v1/customers/${C.alpine}/partners?limit=1&continuationToken=${token}`, T.northwind),
      'query.continuationToken',
      'InvalidContinuationToken',
    );
    expectInvalid(await get('/v1/customers/not-a-guid/partners', T.northwind), 'path.customerId');
    expectInvalid(await get(`/v1/customers/${C.woodgrove}/partners?limit=0`, T.northwind), 'query.limit');
  });
});

describe('GET /v1/audit-records', () => {
  it("shows every role of a tenant its own tenant's entries only, newest first", async () => {
    const fabrikam = await get('/v1/audit-records', T.fabrikam, 'SalesAgent');
    expect(fabrikam.status).toBe(200);
    expectToMatchSchema(AUDIT_RECORD_COLLECTION_SCHEMA, fabrikam.body);
    expect(fabrikam.body.items).toEqual([
      expect.objectContaining({
        operation: 'TransferCreated',
        transferId: moving.id,
        partnerTenantId: T.fabrikam,
      }),
    ]);
    const contoso = await get('/v1/audit-records', T.contoso, 'SalesAgent');
    expect(contoso.body.items).toEqual([
      expect.objectContaining({
        operation: 'TransferAccepted',
        transferId: moving.id,
        actor: 'contoso-admin',
      }),
    ]);
    const adatum = await get('/v1/audit-records', T.adatum);
    expect(adatum.body.items).toEqual([]);
  });

  it('filters by time range and transfer', async () => {
    const northwind = (query: string) => get(`/v1/audit-records${query}`, T.northwind);
    expect((await northwind(`?transferId=${withReseller.id}`)).body.items).toHaveLength(1);
    expect((await northwind(`?transferId=${moving.id}`)).body.items).toHaveLength(0);
    const inRange = await northwind(`?from=${at(1).toISOString()}&to=${at(1).toISOString()}`);
    expect(inRange.body.items).toHaveLength(1);
    // Offsets are accepted and normalised to UTC.
    expect(
      (await northwind(`?from=${encodeURIComponent('2031-03-01T01:00:30+01:00')}`)).body.items,
    ).toHaveLength(1);
    expect((await northwind(`?from=${at(2).toISOString()}`)).body.items).toHaveLength(0);
    expect((await northwind(`?to=${at(0).toISOString()}`)).body.items).toHaveLength(0);
  });

  it('refuses bad bounds naming the field', async () => {
    expectInvalid(await get('/v1/audit-records?from=yesterday', T.contoso), 'query.from');
    expectInvalid(
      await get(`/v1/audit-records?from=${at(5).toISOString()}&to=${at(1).toISOString()}`, T.contoso),
      'query.to',
    );
    expectInvalid(await get('/v1/audit-records?transferId=..%2F..', T.contoso), 'query.transferId');
  });
});

describe('GET /v1/partner and /v1/health', () => {
  it('answer in their published shapes', async () => {
    const profile = await get('/v1/partner', T.litware, 'SalesAgent');
    expect(profile.status).toBe(200);
    expectToMatchSchema(PARTNER_PROFILE_SCHEMA, profile.body);
    expect(profile.body).toMatchObject({ kind: 'IndirectReseller', providerTenantId: T.northwind });
    const health = await callApi(cloud, '/v1/health');
    expectToMatchSchema(HEALTH_SCHEMA, health.body);
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the description of every route without a token', async () => {
    const answer = await callApi(cloud, '/v1/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      expect(answer.body.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.id);
    }
  });
});
