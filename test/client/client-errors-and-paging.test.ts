// Typed errors carry the API's code, description, details, status and correlation id; paged listings walk every
// page through their continuation tokens.
import { ApiError } from '@partner-transfers/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { CUSTOMER, clientFor, createRequest, SOURCE, TARGET } from './support.ts';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
});

afterAll(async () => {
  await cloud?.stop();
});

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('typed errors', () => {
  it('a transfer nobody can see is a 404 TransferNotFound with the call correlation id', async () => {
    const target = clientFor(cloud, TARGET);
    const correlationId = crypto.randomUUID();
    const error = await caught(target.getTransfer(CUSTOMER, crypto.randomUUID(), { correlationId }));
    expect(error).toMatchObject({ status: 404, code: 'TransferNotFound', correlationId, method: 'GET' });
    expect(error.description.length).toBeGreaterThan(0);
  });

  it('bad input is a 400 whose details name the field', async () => {
    const target = clientFor(cloud, TARGET);
    const error = await caught(
      target.createTransfer(CUSTOMER, { ...createRequest(), sourcePartnerTenantId: 'not-a-guid' }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('InvalidRequest');
    expect(error.details.map((detail) => detail.field)).toContain('body.sourcePartnerTenantId');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a rule refusal keeps its stable code (a sales agent may not create)', async () => {
    const sales = clientFor(cloud, TARGET, 'SalesAgent');
    const error = await caught(sales.createTransfer(CUSTOMER, createRequest()));
    expect(error.status).toBe(403);
    expect(error.code).toBe('AdminAgentRequired');
  });
});

describe('paged listings', () => {
  it('walk every page with continuation tokens, item by item and page by page', async () => {
    const target = clientFor(cloud, TARGET);
    const created = [];
    for (let index = 0; index < 5; index += 1)
      created.push(await target.createTransfer(CUSTOMER, createRequest()));

    const pages = [];
    for await (const page of target.listTransfers({ direction: 'outgoing', pageSize: 2 }).pages())
      pages.push(page);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages.slice(0, -1).every((page) => typeof page.continuationToken === 'string')).toBe(true);
    expect(pages.at(-1)?.continuationToken).toBeUndefined();

    const ids: string[] = [];
    for await (const transfer of target.listCustomerTransfers(CUSTOMER, { pageSize: 2 }))
      ids.push(transfer.id);
    expect(ids.sort()).toEqual(created.map((transfer) => transfer.id).sort());

    expect(await target.listTransfers({ direction: 'outgoing', pageSize: 2 }).toArray(3)).toHaveLength(3);
    const incoming = await clientFor(cloud, SOURCE).listTransfers({
      direction: 'incoming',
      status: ['Active'],
    });
    expect((await incoming.toArray()).length).toBe(5);
  });

  it('finds a transfer by id alone', async () => {
    const target = clientFor(cloud, TARGET);
    const created = await target.createTransfer(CUSTOMER, createRequest());
    expect((await target.findTransfer(created.id))?.customerTenantId).toBe(CUSTOMER);
    expect(await target.findTransfer(crypto.randomUUID())).toBeUndefined();
  });
});
