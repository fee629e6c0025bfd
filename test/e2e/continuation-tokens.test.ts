// Continuation tokens of the filtered listings reveal nothing and open only for the caller and listing they were
// issued for. A customer with one transfer (and two subscriptions) visible to the caller among more than a hundred of
// other partners: the storage's own continuation key would name one of those (an id and a creation time).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription, Transfer } from '#domain/model.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_SUBSCRIPTIONS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { type ApiAnswer, callApi, storeTransfer, tokenCache } from './support/seeded-transfers.ts';

const T = SANDBOX_TENANTS;
const C = SANDBOX_CUSTOMERS;
const OTHER_PARTNERS = 110;
const BASE = Date.parse('2031-06-01T00:00:00.000Z');

let cloud: TestCloud;
let token: ReturnType<typeof tokenCache>;
/** Northwind -> Adatum for Woodgrove: invisible to Fabrikam. */
let others: Transfer[];
let fabrikams: Transfer;
/** Trey's subscriptions billed by Contoso: invisible to Fabrikam. */
let otherSubscriptions: Subscription[];

/** Every way a client could read a token: as it is, as base64url text, as hex. */
function readableForms(continuationToken: string): string {
  const bytes = Buffer.from(continuationToken, 'base64url');
  return [continuationToken, bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('hex')].join(
    '\n',
  );
}

function expectRevealsNothing(continuationToken: string, secrets: readonly string[]): void {
  const forms = readableForms(continuationToken).toLowerCase();
  for (const secret of secrets) expect(forms).not.toContain(secret.toLowerCase());
  expect(forms).not.toMatch(/transfer#|customer#|subscription#|"k"|createdtime/);
}

const expectTokenRefused = (answer: ApiAnswer) => {
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe('InvalidContinuationToken');
};

beforeAll(async () => {
  cloud = await startTestCloud();
  token = tokenCache(cloud);
  fabrikams = await storeTransfer(cloud.storage, {
    customerId: C.woodgrove,
    sourceTenantId: T.contoso,
    targetTenantId: T.fabrikam,
    createdAt: new Date(BASE + OTHER_PARTNERS * 60_000),
  });
  others = [];
  for (let index = 0; index < OTHER_PARTNERS; index++) {
    others.push(
      await storeTransfer(cloud.storage, {
        customerId: C.woodgrove,
        sourceTenantId: T.northwind,
        targetTenantId: T.adatum,
        createdAt: new Date(BASE + index * 60_000),
      }),
    );
  }
  const template = SANDBOX_SUBSCRIPTIONS.find((subscription) => subscription.customerId === C.trey);
  if (!template) throw new Error('no Trey subscription in the sandbox');
  otherSubscriptions = Array.from({ length: 40 }, () => ({
    ...template,
    subscriptionId: randomUUID(),
    billingPartnerTenantId: T.contoso,
  }));
  for (const subscription of otherSubscriptions) await cloud.storage.subscriptions.put(subscription);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

describe("a customer's transfers", () => {
  const path = `/v1/customers/${C.woodgrove}/transfers`;

  it("page tokens name none of the other partners' transfers, and following them lists only the caller's", async () => {
    const first = await callApi(cloud, `${path}?limit=1`, { token: await token(T.fabrikam) });
    expect(first.status).toBe(200);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([fabrikams.id]);
    const secrets = others.flatMap((transfer) => [transfer.id, transfer.createdTime]);
    const seen: string[] = [...first.body.items.map((item: { id: string }) => item.id)];
    let next: string | undefined = first.body.continuationToken;
    for (let page = 0; next !== undefined && page < 50; page++) {
      expectRevealsNothing(next, secrets);
      const answer = await callApi(cloud, `${path}?limit=1&continuationToken=${next}`, {
        token: await token(T.fabrikam),
      });
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items.map((item: { id: string }) => item.id));
      next = answer.body.continuationToken;
    }
    expect(next).toBeUndefined();
    expect(seen).toEqual([fabrikams.id]);
  });

  it('refuses a token replayed by another tenant, on another listing, or altered', async () => {
    const adatum = await callApi(cloud, `${path}?limit=1`, { token: await token(T.adatum) });
    const issued = adatum.body.continuationToken as string;
    expect(issued).toBeDefined();
    expectTokenRefused(
      await callApi(cloud, `${path}?limit=1&continuationToken=${issued}`, {
        token: await token(T.northwind),
      }),
    );
    expectTokenRefused(
      await callApi(cloud, `${path}?limit=1&status=Active&continuationToken=${issued}`, {
        token: await token(T.adatum),
      }),
    );
    expectTokenRefused(
      await callApi(cloud, `/v1/transfers?direction=incoming&limit=1&continuationToken=${issued}`, {
        token: await token(T.adatum),
      }),
    );
    const bytes = Buffer.from(issued, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x20;
    expectTokenRefused(
      await callApi(cloud, `${path}?limit=1&continuationToken=${bytes.toString('base64url')}`, {
        token: await token(T.adatum),
      }),
    );
    // The issuing tenant may follow it, also with another page size.
    const own = await callApi(cloud, `${path}?limit=5&continuationToken=${issued}`, {
      token: await token(T.adatum),
    });
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(5);
  });
});

describe("a customer's subscriptions and their eligibility", () => {
  it.each([`/v1/customers/${C.trey}/subscriptions`, `/v1/customers/${C.trey}/transfer-eligibility`])(
    "%s: tokens name none of the other partners' subscriptions and open only for the caller",
    async (path) => {
      const secrets = otherSubscriptions.map((subscription) => subscription.subscriptionId);
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const answer = await callApi(
          cloud,
          `${path}?limit=1${next === undefined ? '' : `&continuationToken=${next}`}`,
          { token: await token(T.fabrikam) },
        );
        expect(answer.status).toBe(200);
        seen.push(
          ...answer.body.items.map(
            (item: { subscriptionId?: string; id?: string }) => item.subscriptionId ?? item.id,
          ),
        );
        next = answer.body.continuationToken;
        if (next !== undefined) {
          expectRevealsNothing(next, secrets);
          expectTokenRefused(
            await callApi(cloud, `${path}?limit=1&continuationToken=${next}`, {
              token: await token(T.contoso),
            }),
          );
        }
        pages += 1;
      } while (next !== undefined && pages < 200);
      expect(next).toBeUndefined();
      const fabrikamBills = SANDBOX_SUBSCRIPTIONS.filter(
        (subscription) =>
          subscription.customerId === C.trey && subscription.billingPartnerTenantId === T.fabrikam,
      ).map((subscription) => subscription.subscriptionId);
      expect(seen.sort()).toEqual([...fabrikamBills].sort());
    },
  );
});
