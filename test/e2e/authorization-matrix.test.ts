// Who may do what, for EVERY route of the route table (iterated, so a new route cannot be forgotten) and every kind of
// caller: the source and target partners' admin and sales agents, a third partner's admin, a reseller named as partner
// of record, and no token at all.
//
//   reads by any role of a party            -> 200 (and they see the transfer)
//   reads by anyone else                     -> 404 for the transfer itself, or 200 without it in listings
//   writes by a party's non-admin            -> 403
//   writes by the wrong party                -> 403 (a party) / 404 (not a party)
//   no token                                 -> 401
//   the right party's admin                  -> 2xx, performed on a fresh copy so the transfer under test never moves
//
// No cell may leak the transfer (a refusal never contains its data) or change it (storage is compared after every
// cell).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '#api/routes.ts';
import { auditRecordsFor } from '#domain/audit.ts';
import type { Role, Subscription, Transfer } from '#domain/model.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  type ApiAnswer,
  callApi,
  sandboxSubscriptions,
  storeTransfer,
  tokenCache,
} from './support/seeded-transfers.ts';

const T = SANDBOX_TENANTS;
const CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
const LITWARE_PARTNER_ID = '3000005';

const CALLERS = {
  sourceAdmin: { tenantId: T.contoso, role: 'AdminAgent' },
  sourceSales: { tenantId: T.contoso, role: 'SalesAgent' },
  targetAdmin: { tenantId: T.northwind, role: 'AdminAgent' },
  targetSales: { tenantId: T.northwind, role: 'SalesAgent' },
  thirdPartnerAdmin: { tenantId: T.adatum, role: 'AdminAgent' },
  /** Litware, an indirect reseller under Northwind, named as the transfer's partner of record. */
  resellerAdmin: { tenantId: T.litware, role: 'AdminAgent' },
  noToken: undefined,
} as const satisfies Record<string, { tenantId: string; role: Role } | undefined>;
type CallerName = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as CallerName[];

type Outcome =
  /** 2xx; `sees`: whether the transfer under test must (true) or must not (false) appear in the body. */
  | { expect: 'ok'; sees?: boolean }
  /** 404 that says nothing about the transfer. */
  | { expect: 'hidden' }
  | { expect: 'forbidden' }
  /** A refusal for another reason than who is asking (e.g. 422 SourceEqualsTarget). */
  | { expect: 'refused'; status: number }
  | { expect: 'unauthenticated' }
  /** The right party's admin: done on a fresh copy of the transfer (or, off a transfer, as is); must succeed. */
  | { expect: 'allowed' };

type Outcomes = Record<CallerName, Outcome>;

interface RequestContext {
  transfer: Transfer;
  /** A subscription of the customer billed by the source that this request may use (claimed by no other transfer). */
  subscriptionId: string;
}

interface RequestCase {
  label: string;
  query?: string;
  body?: (context: RequestContext) => unknown;
  outcomes: Outcomes;
}

const ok = (sees?: boolean): Outcome => (sees === undefined ? { expect: 'ok' } : { expect: 'ok', sees });
const HIDDEN: Outcome = { expect: 'hidden' };
const FORBIDDEN: Outcome = { expect: 'forbidden' };
const UNAUTHENTICATED: Outcome = { expect: 'unauthenticated' };
const ALLOWED: Outcome = { expect: 'allowed' };

const PUBLIC: Outcomes = Object.fromEntries(CALLER_NAMES.map((name) => [name, ok()])) as Outcomes;

/** Reading the transfer itself. */
const PARTIES_READ_THE_TRANSFER: Outcomes = {
  sourceAdmin: ok(true),
  sourceSales: ok(true),
  targetAdmin: ok(true),
  targetSales: ok(true),
  thirdPartnerAdmin: HIDDEN,
  resellerAdmin: ok(true),
  noToken: UNAUTHENTICATED,
};

/** A listing everybody may call; only the parties find the transfer in it. */
const PARTIES_FIND_IT_LISTED: Outcomes = { ...PARTIES_READ_THE_TRANSFER, thirdPartnerAdmin: ok(false) };

/** A listing of the caller's own data, in which (of these callers) only `finders` find the transfer. */
const ownDataListing = (finders: readonly CallerName[]): Outcomes =>
  Object.fromEntries(
    CALLER_NAMES.map((name) => [name, name === 'noToken' ? UNAUTHENTICATED : ok(finders.includes(name))]),
  ) as Outcomes;

/** Set line items or submit: the source's admin only. */
const SOURCE_ADMIN_WRITES: Outcomes = {
  sourceAdmin: ALLOWED,
  sourceSales: FORBIDDEN,
  targetAdmin: FORBIDDEN,
  targetSales: FORBIDDEN,
  thirdPartnerAdmin: HIDDEN,
  resellerAdmin: FORBIDDEN,
  noToken: UNAUTHENTICATED,
};

/** Cancel: the target's admin only. */
const TARGET_ADMIN_WRITES: Outcomes = {
  sourceAdmin: FORBIDDEN,
  sourceSales: FORBIDDEN,
  targetAdmin: ALLOWED,
  targetSales: FORBIDDEN,
  thirdPartnerAdmin: HIDDEN,
  resellerAdmin: FORBIDDEN,
  noToken: UNAUTHENTICATED,
};

const single = (outcomes: Outcomes, extra: Omit<RequestCase, 'label' | 'outcomes'> = {}): RequestCase[] => [
  { label: '', outcomes, ...extra },
];

/** An endpoint id nobody registered: every partner's admin gets the same 404, every other role the 403 first. */
const UNKNOWN_WEBHOOK_ID = randomUUID();
const UNKNOWN_DELIVERY_ID = randomUUID();
const ADMINS: readonly CallerName[] = ['sourceAdmin', 'targetAdmin', 'thirdPartnerAdmin', 'resellerAdmin'];
const byRole = (admin: Outcome, other: Outcome): Outcomes =>
  Object.fromEntries(
    CALLER_NAMES.map((name) => [
      name,
      name === 'noToken' ? UNAUTHENTICATED : ADMINS.includes(name) ? admin : other,
    ]),
  ) as Outcomes;
const WEBHOOK_ADMIN_WRITE = byRole(HIDDEN, FORBIDDEN);
const WEBHOOK_READ = byRole(HIDDEN, HIDDEN);

/** The expected outcome of every caller, for every route id of ROUTES. */
const ROUTE_CASES: Record<string, RequestCase[]> = {
  getHealth: single(PUBLIC),
  getApiDescription: single(PUBLIC),
  getOwnPartnerProfile: single(ownDataListing([])),
  createTransfer: single(
    {
      // The source cannot be its own target.
      sourceAdmin: { expect: 'refused', status: 422 },
      sourceSales: FORBIDDEN,
      // Creating belongs to whoever will be the target: Northwind again, or Adatum for itself.
      targetAdmin: ALLOWED,
      targetSales: FORBIDDEN,
      thirdPartnerAdmin: ALLOWED,
      resellerAdmin: FORBIDDEN,
      noToken: UNAUTHENTICATED,
    },
    {
      body: () => ({
        sourcePartnerTenantId: T.contoso,
        sourcePartnerName: 'Contoso Direct',
        customerEmailId: `matrix-${randomUUID()}@woodgrove.example`,
      }),
    },
  ),
  listCustomerTransfers: single(PARTIES_FIND_IT_LISTED),
  getTransfer: single(PARTIES_READ_THE_TRANSFER),
  updateTransfer: [
    {
      label: 'line items',
      body: ({ subscriptionId }) => ({ lineItems: [{ subscriptionId }] }),
      outcomes: SOURCE_ADMIN_WRITES,
    },
    { label: '"status": "Cancel"', body: () => ({ status: 'Cancel' }), outcomes: TARGET_ADMIN_WRITES },
  ],
  cancelTransferByDelete: single(TARGET_ADMIN_WRITES),
  submitTransfer: single(SOURCE_ADMIN_WRITES),
  acceptTransfer: single(SOURCE_ADMIN_WRITES),
  cancelTransfer: single(TARGET_ADMIN_WRITES),
  listPartnerTransfers: [
    {
      label: 'incoming',
      query: 'direction=incoming',
      outcomes: ownDataListing(['sourceAdmin', 'sourceSales']),
    },
    {
      label: 'outgoing',
      query: 'direction=outgoing',
      outcomes: ownDataListing(['targetAdmin', 'targetSales']),
    },
  ],
  getSubscriptionTransferEligibility: single({
    // Only the partner that bills the subscription learns anything about it.
    sourceAdmin: ok(),
    sourceSales: ok(),
    targetAdmin: HIDDEN,
    targetSales: HIDDEN,
    thirdPartnerAdmin: HIDDEN,
    resellerAdmin: HIDDEN,
    noToken: UNAUTHENTICATED,
  }),
  // The source finds its own subscriptions (the transfer's among them), named by code only as in an open transfer.
  listCustomerTransferEligibility: single({
    ...ownDataListing([]),
    sourceAdmin: ok(),
    sourceSales: ok(),
  }),
  // The source sees which open transfer claims its subscription.
  listCustomerSubscriptions: single(ownDataListing(['sourceAdmin', 'sourceSales'])),
  listRelationships: single(ownDataListing([])),
  // Any partner serving the customer lists its other partners (no transfers in it); Litware does not serve Woodgrove.
  listCustomerPartners: single({ ...ownDataListing([]), resellerAdmin: HIDDEN }),
  listAuditRecords: single(ownDataListing(['targetAdmin', 'targetSales'])),
  // Webhook endpoints belong to the calling partner alone; only admin agents change them.
  createWebhook: single(byRole(ALLOWED, FORBIDDEN), {
    body: () => ({ url: 'http://127.0.0.1:9/matrix', events: ['*'] }),
  }),
  listWebhooks: single(ownDataListing([])),
  getWebhook: single(WEBHOOK_READ),
  updateWebhook: single(WEBHOOK_ADMIN_WRITE, { body: () => ({ disabled: true }) }),
  deleteWebhook: single(WEBHOOK_ADMIN_WRITE),
  rotateWebhookSecret: single(WEBHOOK_ADMIN_WRITE),
  testWebhook: single(WEBHOOK_ADMIN_WRITE),
  listWebhookDeliveries: single(WEBHOOK_READ),
  redeliverWebhookDelivery: single(WEBHOOK_ADMIN_WRITE),
};

let cloud: TestCloud;
let token: ReturnType<typeof tokenCache>;
/** The transfer under test: Contoso -> Northwind for Woodgrove, Active, one line item, Litware as partner of record. */
let transfer: Transfer;
let lineItemSubscription: Subscription;

async function storedState() {
  return {
    transfer: await cloud.storage.transfers.get(CUSTOMER, transfer.id),
    subscription: await cloud.storage.subscriptions.get(CUSTOMER, lineItemSubscription.subscriptionId),
    audit: (await cloud.storage.audit.list(T.northwind, { transferId: transfer.id })).items,
  };
}

/** A fresh Woodgrove subscription billed by Contoso, for the writes that must succeed. */
async function freshSubscription(): Promise<Subscription> {
  const subscription: Subscription = {
    ...lineItemSubscription,
    subscriptionId: randomUUID(),
    friendlyName: 'Matrix subscription',
    version: 1,
  };
  delete subscription.openTransferId;
  await cloud.storage.subscriptions.put(subscription);
  return subscription;
}

/** A copy of the transfer under test, with its own subscription, for a write that is allowed. */
async function freshCopy(): Promise<RequestContext> {
  const subscription = await freshSubscription();
  const copy = await storeTransfer(cloud.storage, {
    customerId: CUSTOMER,
    sourceTenantId: T.contoso,
    targetTenantId: T.northwind,
    createdAt: new Date(),
    partnerOnRecord: LITWARE_PARTNER_ID,
    lineItems: [{ subscription }],
  });
  await cloud.storage.subscriptions.claimForTransfer(
    CUSTOMER,
    subscription.subscriptionId,
    copy.id,
    T.contoso,
  );
  return { transfer: copy, subscriptionId: subscription.subscriptionId };
}

function pathOf(route: RouteDefinition, context: RequestContext, query: string | undefined): string {
  const path = route.path
    .replace('{customerId}', context.transfer.customerTenantId)
    .replace('{transferId}', context.transfer.id)
    .replace('{subscriptionId}', context.subscriptionId)
    .replace('{webhookId}', UNKNOWN_WEBHOOK_ID)
    .replace('{deliveryId}', UNKNOWN_DELIVERY_ID);
  return query ? `${path}?${query}` : path;
}

async function send(
  route: RouteDefinition,
  request: RequestCase,
  caller: CallerName,
  context: RequestContext,
) {
  const identity = CALLERS[caller];
  const body = request.body?.(context);
  return callApi(cloud, pathOf(route, context, request.query), {
    method: route.method,
    ...(identity ? { token: await token(identity.tenantId, identity.role) } : {}),
    ...(body !== undefined ? { body } : {}),
  });
}

function expectErrorBody(answer: ApiAnswer, status: number) {
  expect(answer.status, answer.text).toBe(status);
  expect(typeof answer.body?.code).toBe('string');
  expect(typeof answer.body?.description).toBe('string');
}

function expectNothingOfTheTransfer(answer: ApiAnswer) {
  expect(answer.text).not.toContain(transfer.id);
  expect(answer.text).not.toContain(transfer.customerEmailId);
  expect(answer.text).not.toContain(lineItemSubscription.subscriptionId);
}

beforeAll(async () => {
  cloud = await startTestCloud();
  token = tokenCache(cloud);
  lineItemSubscription = sandboxSubscriptions(CUSTOMER, T.contoso).find(
    (subscription) => subscription.productType === 'AzureSubscription',
  )!;
  transfer = await storeTransfer(cloud.storage, {
    customerId: CUSTOMER,
    sourceTenantId: T.contoso,
    targetTenantId: T.northwind,
    createdAt: new Date(),
    partnerOnRecord: LITWARE_PARTNER_ID,
    customerEmailId: `matrix-subject-${randomUUID()}@woodgrove.example`,
    lineItems: [{ subscription: lineItemSubscription }],
  });
  await cloud.storage.subscriptions.claimForTransfer(
    CUSTOMER,
    lineItemSubscription.subscriptionId,
    transfer.id,
    T.contoso,
  );
  for (const record of auditRecordsFor(
    transfer,
    'TransferCreated',
    'northwind-admin',
    transfer.createdTime,
  )) {
    await cloud.storage.audit.append(record);
  }
});

afterAll(async () => {
  await cloud?.stop();
});

it('has a case for every route of the route table, and no case for a route that does not exist', () => {
  expect(Object.keys(ROUTE_CASES).sort()).toEqual(ROUTES.map((route) => route.id).sort());
});

describe.each(ROUTES.map((route) => [`${route.method} ${route.path} (${route.id})`, route] as const))(
  '%s',
  (_name, route) => {
    const requests = ROUTE_CASES[route.id] ?? [];
    const cells = requests.flatMap((request) =>
      CALLER_NAMES.map(
        (caller) => [request.label ? `${request.label}, ${caller}` : caller, request, caller] as const,
      ),
    );
    it.each(cells)('%s', async (_cell, request, caller) => {
      const outcome = request.outcomes[caller];
      const before = await storedState();
      const isTransferWrite = route.method !== 'GET' && route.path.includes('{transferId}');
      const context: RequestContext =
        outcome.expect === 'allowed' && isTransferWrite
          ? await freshCopy()
          : { transfer, subscriptionId: lineItemSubscription.subscriptionId };
      const answer = await send(route, request, caller, context);

      switch (outcome.expect) {
        case 'ok':
          expect(answer.status, answer.text).toBe(200);
          if (outcome.sees === true) expect(answer.text).toContain(transfer.id);
          if (outcome.sees === false) expectNothingOfTheTransfer(answer);
          break;
        case 'allowed':
          expect([200, 201, 202], answer.text).toContain(answer.status);
          if (isTransferWrite) expect(answer.body.id).toBe(context.transfer.id);
          break;
        case 'hidden':
          expectErrorBody(answer, 404);
          expectNothingOfTheTransfer(answer);
          break;
        case 'forbidden':
          expectErrorBody(answer, 403);
          expect(answer.text).not.toContain(transfer.customerEmailId);
          break;
        case 'refused':
          expectErrorBody(answer, outcome.status);
          expect(answer.text).not.toContain(transfer.customerEmailId);
          break;
        case 'unauthenticated':
          expectErrorBody(answer, 401);
          expectNothingOfTheTransfer(answer);
          break;
      }
      // Whatever the cell, the transfer under test, its subscription and its audit trail are exactly as before.
      expect(await storedState()).toEqual(before);
    });
  },
);
