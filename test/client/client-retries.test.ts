// The client's safety net over real HTTP: a write whose answer is lost is retried with the same MS-RequestId and
// acts once; a refused token is refreshed once; 429/503 are retried after Retry-After; no answer at all becomes
// ApiUnreachableError.
import { createServer, type Server } from 'node:http';
import {
  ApiError,
  ApiUnreachableError,
  createPartnerTransfersClient,
  type RetryEvent,
} from '@partner-transfers/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { seedSubscription } from '#test/workflow/support.ts';
import { type DroppingProxy, startDroppingProxy } from './dropping-proxy.ts';
import { CUSTOMER, clientFor, createRequest, NO_BACKOFF, SOURCE, TARGET } from './support.ts';

let cloud: TestCloud;
let proxy: DroppingProxy;

beforeAll(async () => {
  cloud = await startTestCloud();
  proxy = await startDroppingProxy(cloud.urls.api);
});

afterAll(async () => {
  await proxy?.close();
  await cloud?.stop();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('retries', () => {
  it('a create whose answer is lost is retried with the same request id and creates one transfer', async () => {
    const target = clientFor(cloud, TARGET, 'AdminAgent', proxy.url);
    const before = await target.listCustomerTransfers(CUSTOMER).toArray();
    proxy.dropNextAnswers('POST', 1);

    const created = await target.createTransfer(CUSTOMER, createRequest());

    const posts = proxy.requestLines.filter((line) => line.startsWith('POST '));
    expect(posts.length).toBe(2);
    const after = await target.listCustomerTransfers(CUSTOMER).toArray();
    expect(after.length).toBe(before.length + 1);
    expect(after.map((transfer) => transfer.id)).toContain(created.id);
  });

  it('an accept whose answer is lost is retried and accepts once', async () => {
    const target = clientFor(cloud, TARGET);
    const source = clientFor(cloud, SOURCE, 'AdminAgent', proxy.url);
    const subscription = await seedSubscription(cloud.storage, CUSTOMER, SOURCE, 7);
    const created = await target.createTransfer(CUSTOMER, createRequest());
    proxy.dropNextAnswers('PATCH', 1);

    const accepted = await source.acceptTransfer(CUSTOMER, created.id, [subscription.subscriptionId]);

    expect(accepted.status).not.toBe('Active');
    const audit = await source.listAuditRecords({ transferId: created.id }).toArray();
    expect(audit.filter((record) => record.operation === 'TransferAccepted')).toHaveLength(1);
  });

  it('the same request id twice replays the first create', async () => {
    const target = clientFor(cloud, TARGET);
    const requestId = crypto.randomUUID();
    const first = await target.createTransfer(CUSTOMER, createRequest(), { requestId });
    const second = await target.createTransfer(CUSTOMER, createRequest(), { requestId });
    expect(second.id).toBe(first.id);
  });

  it('asks the token provider again once after a 401, then gives up with the 401', async () => {
    const asked: boolean[] = [];
    const refreshing = createPartnerTransfersClient({
      baseUrl: cloud.urls.api,
      retry: NO_BACKOFF,
      token: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        return forceRefresh ? cloud.tokenFor(TARGET) : 'expired-token';
      },
    });
    expect((await refreshing.getPartner()).tenantId).toBe(TARGET);
    expect(asked).toEqual([false, true]);

    const asks: boolean[] = [];
    const neverValid = createPartnerTransfersClient({
      baseUrl: cloud.urls.api,
      retry: NO_BACKOFF,
      token: ({ forceRefresh }) => {
        asks.push(forceRefresh);
        return 'still-not-a-token';
      },
    });
    const error = await neverValid.getPartner().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(asks).toEqual([false, true]);
  });

  it('retries 429 and 503 after Retry-After, with the same request id on every attempt', async () => {
    const seen: { requestId: string | undefined; correlationId: string | undefined }[] = [];
    const answers = [
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503, headers: { 'retry-after': '0' } },
    ];
    const server = createServer((request, response) => {
      seen.push({
        requestId: request.headers['ms-requestid'] as string | undefined,
        correlationId: request.headers['ms-correlationid'] as string | undefined,
      });
      const answer = answers.shift();
      request.resume();
      if (answer) {
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(JSON.stringify({ code: 'Busy', description: 'try later', details: [] }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'ok' }));
    });
    const url = await listen(server);
    try {
      const retries: RetryEvent[] = [];
      const client = createPartnerTransfersClient({
        baseUrl: url,
        token: 'token',
        retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 5 },
        onRetry: (event) => retries.push(event),
      });
      const result = await client.cancelTransfer(CUSTOMER, crypto.randomUUID());
      expect(result).toEqual({ id: 'ok' });
      expect(retries.map((event) => [event.reason, event.delayMs])).toEqual([
        [429, 5],
        [503, 0],
      ]);
      expect(seen).toHaveLength(3);
      expect(new Set(seen.map((request) => request.requestId)).size).toBe(1);
      expect(new Set(seen.map((request) => request.correlationId)).size).toBe(1);
      expect(seen[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      server.close();
    }
  });

  it('stops after the configured attempts and surfaces the last error answer', async () => {
    let calls = 0;
    const server = createServer((request, response) => {
      calls += 1;
      request.resume();
      response.writeHead(503, { 'content-type': 'application/json', 'ms-correlationid': 'corr-1' });
      response.end(JSON.stringify({ code: 'ServiceUnavailable', description: 'down', details: [] }));
    });
    const url = await listen(server);
    try {
      const client = createPartnerTransfersClient({
        baseUrl: url,
        token: 't',
        retry: { ...NO_BACKOFF, attempts: 2 },
      });
      const error = await client.getPartner().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 503, code: 'ServiceUnavailable', correlationId: 'corr-1' });
      expect(calls).toBe(2);
    } finally {
      server.close();
    }
  });

  it('a port nobody listens on becomes ApiUnreachableError after every attempt', async () => {
    const server = createServer();
    const url = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = createPartnerTransfersClient({
      baseUrl: url,
      token: 't',
      retry: { ...NO_BACKOFF, attempts: 3 },
    });
    const error = await client.getPartner().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect((error as ApiUnreachableError).attempts).toBe(3);
  });
});
