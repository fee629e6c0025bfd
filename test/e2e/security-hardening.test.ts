// Defects a security review found, each shown over HTTP against the local cloud: correlation ids are bounded and
// printable, GUIDs compare case-insensitively (path, query and the token's tid), audit ranges outside years 0000-9999
// are refused, every email names the customer, and an MS-RequestId never replays one user's answer to another.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { localSesMail } from '#test/support/sent-mail.ts';
import { type ApiAnswer, callApi, storeTransfer, tokenCache } from './support/seeded-transfers.ts';

const T = SANDBOX_TENANTS;
const C = SANDBOX_CUSTOMERS;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let cloud: TestCloud;
let token: ReturnType<typeof tokenCache>;

beforeAll(async () => {
  cloud = await startTestCloud();
  token = tokenCache(cloud);
});

afterAll(async () => {
  await cloud?.stop();
});

const expectInvalid = (answer: ApiAnswer, field: string) => {
  expect(answer.status).toBe(400);
  expect(answer.body.code).toBe('InvalidRequest');
  expect(answer.body.details.map((detail: { field?: string }) => detail.field)).toContain(field);
};

describe('MS-CorrelationId', () => {
  const withCorrelationId = async (value: string) =>
    callApi(cloud, '/v1/partner', {
      token: await token(T.contoso),
      headers: { 'MS-CorrelationId': value },
    });

  it('echoes a GUID or a short id made of safe characters', async () => {
    const guid = randomUUID();
    expect((await withCorrelationId(guid)).headers.get('ms-correlationid')).toBe(guid);
    expect((await withCorrelationId('order-42/retry:1')).headers.get('ms-correlationid')).toBe(
      'order-42/retry:1',
    );
  });

  it.each([
    ['10 KB long', 'x'.repeat(10 * 1024)],
    ['129 characters long', 'a'.repeat(129)],
    ['with spaces and quotes', 'a "quoted" value'],
    ['with non-ASCII characters', 'caf\u00e9-\u{1F600}'],
  ])('replaces one %s with a new GUID, and the request still succeeds', async (_case, value) => {
    const answer = await withCorrelationId(
      // fetch only sends ByteStrings in headers: non-ASCII travels as its UTF-8 bytes, as a raw client would send it.
      Buffer.from(value, 'utf8').toString('latin1'),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('ms-correlationid')).toMatch(GUID);
  });
});

describe('GUIDs are case-insensitive', () => {
  it('finds a transfer named by upper-case customer and transfer ids, and answers with lower-case ids', async () => {
    const transfer = await storeTransfer(cloud.storage, {
      customerId: C.woodgrove,
      sourceTenantId: T.contoso,
      targetTenantId: T.fabrikam,
      createdAt: new Date('2031-01-01T00:00:00.000Z'),
    });
    const path = `/v1/customers/${C.woodgrove.toUpperCase()}/transfers/${transfer.id.toUpperCase()}`;
    const answer = await callApi(cloud, path, { token: await token(T.contoso) });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(transfer.id);
    expect(answer.body.customerTenantId).toBe(C.woodgrove);
    const audit = await callApi(cloud, `/v1/audit-records?transferId=${transfer.id.toUpperCase()}`, {
      token: await token(T.fabrikam),
    });
    expect(audit.status).toBe(200);
  });

  it('treats a token whose tid is upper case as the same tenant', async () => {
    const upper = await cloud.identity.signToken({
      tenantId: T.contoso.toUpperCase(),
      userId: 'upper-case-tid',
      roles: ['AdminAgent'],
    });
    const profile = await callApi(cloud, '/v1/partner', { token: upper });
    expect(profile.status).toBe(200);
    expect(profile.body.tenantId).toBe(T.contoso);
  });
});

describe('audit time ranges', () => {
  it('refuses a bound that an offset pushes past the year 9999 (it used to sort before every real time)', async () => {
    const farFuture = encodeURIComponent('9999-12-31T23:59:59-23:59');
    expectInvalid(
      await callApi(cloud, `/v1/audit-records?from=${farFuture}`, { token: await token(T.contoso) }),
      'query.from',
    );
    expectInvalid(
      await callApi(cloud, `/v1/audit-records?to=${encodeURIComponent('0000-01-01T00:00:00+01:00')}`, {
        token: await token(T.contoso),
      }),
      'query.to',
    );
  });

  it('refuses a reversed range and accepts the widest valid one', async () => {
    const contoso = await token(T.contoso);
    expectInvalid(
      await callApi(cloud, '/v1/audit-records?from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z', {
        token: contoso,
      }),
      'query.to',
    );
    const widest = await callApi(
      cloud,
      `/v1/audit-records?from=0000-01-01T00:00:00Z&to=${encodeURIComponent('9999-12-31T23:59:59+00:00')}`,
      { token: contoso },
    );
    expect(widest.status).toBe(200);
  });
});

describe('emails', () => {
  it("name the customer in the subject and body, even when the request did not give the customer's name", async () => {
    const customerEmail = `it-${randomUUID()}@woodgrove.example`;
    const created = await callApi(cloud, `/v1/customers/${C.woodgrove}/transfers`, {
      method: 'POST',
      token: await token(T.fabrikam),
      body: {
        sourcePartnerTenantId: T.contoso,
        sourcePartnerName: 'Contoso Direct',
        customerEmailId: customerEmail,
        transferType: 3,
      },
    });
    expect(created.status).toBe(201);
    const readMail = localSesMail(cloud.urls.ses);
    let mail: Awaited<ReturnType<typeof readMail>> = [];
    // The workflow sends them in the background: to the source's admin agents and to the customer.
    for (let poll = 0; poll < 200; poll++) {
      mail = (await readMail()).filter((email) => email.body.text?.includes(created.body.id));
      if (mail.some((email) => email.destination.to.includes(customerEmail)) && mail.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(mail.length).toBeGreaterThanOrEqual(2);
    for (const email of mail) {
      expect(email.subject).toContain('Woodgrove Bank');
      expect(email.body.text).toContain('Woodgrove Bank');
      expect(email.body.html).toContain('Woodgrove Bank');
    }
  });
});

describe('MS-RequestId replays never cross users', () => {
  const create = async (role: 'AdminAgent' | 'SalesAgent', requestId: string, customerEmailId: string) =>
    callApi(cloud, `/v1/customers/${C.alpine}/transfers`, {
      method: 'POST',
      token: await token(T.adatum, role),
      headers: { 'MS-RequestId': requestId },
      body: {
        sourcePartnerTenantId: T.northwind,
        sourcePartnerName: 'Northwind',
        customerEmailId,
        transferType: 3,
      },
    });

  it("a sales agent reusing an admin's request id is refused, not handed the admin's 201", async () => {
    const requestId = randomUUID();
    const email = `ops-${randomUUID()}@alpine.example`;
    const admin = await create('AdminAgent', requestId, email);
    expect(admin.status).toBe(201);
    const sales = await create('SalesAgent', requestId, email);
    expect(sales.status).toBe(403);
    expect(sales.headers.get('ms-idempotent-replay')).toBeNull();
    expect(sales.text).not.toContain(admin.body.id);
  });

  it("an admin sending the id of a sales agent's refused request gets the write, not the stored 403", async () => {
    const requestId = randomUUID();
    const email = `ops-${randomUUID()}@alpine.example`;
    expect((await create('SalesAgent', requestId, email)).status).toBe(403);
    const admin = await create('AdminAgent', requestId, email);
    expect(admin.status).toBe(201);
    expect(admin.headers.get('ms-idempotent-replay')).toBeNull();
    const retried = await create('AdminAgent', requestId, email);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('ms-idempotent-replay')).toBe('true');
    expect(retried.body.id).toBe(admin.body.id);
  });
});
