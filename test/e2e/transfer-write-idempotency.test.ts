// The MS-RequestId helper that every transfer write goes through, against the real idempotency store on dynalite
// (the cases HTTP alone cannot provoke: failures, lapsed locks, a settable clock). The HTTP-level behaviour is in
// transfer-writes.test.ts and transfer-races.test.ts.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { IdempotencyStore } from '#application/ports.ts';
import { StorageUnavailableError, VersionConflictError } from '#application/storage-errors.ts';
import { DomainError, failure } from '#domain/errors.ts';
import type { Role } from '#domain/model.ts';
import { ApiError } from '#shared/http/api-error.ts';
import type { ApiResult } from '#shared/http/api-handler.ts';
import {
  IDEMPOTENT_REPLAY_HEADER,
  type IdempotentWriteRequest,
  idempotentWrite,
  requestFingerprint,
} from '#shared/http/idempotent-write.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';

let db: LocalDynamoDb;
let store: IdempotencyStore;
let nowMs = Date.parse('2030-06-01T12:00:00.000Z');

beforeAll(async () => {
  db = await startDynalite('transfer-write-idempotency');
  store = createDynamoDbStorage({
    documentClient: db.documentClient,
    tableName: db.tableName,
    now: () => new Date(nowMs),
    idempotency: { inProgressTimeoutSeconds: 60, retentionSeconds: 3600 },
  }).idempotency;
});
afterAll(async () => {
  await db?.stop();
});

const TRANSFER_ROUTE = '/v1/customers/{customerId}/transfers/{transferId}';

function writeRequest(
  options: {
    requestId?: string;
    tenantId?: string;
    userId?: string;
    roles?: Role[];
    body?: unknown;
    method?: string;
    transferId?: string;
  } = {},
): IdempotentWriteRequest {
  return {
    caller: {
      tenantId: options.tenantId ?? 'tenant-a',
      userId: options.userId ?? 'user-a',
      roles: options.roles ?? ['AdminAgent'],
    },
    requestId: options.requestId,
    event: {
      httpMethod: options.method ?? 'PATCH',
      resource: TRANSFER_ROUTE,
      path: '/v1/customers/c/transfers/t',
      pathParameters: { customerId: 'c', transferId: options.transferId ?? 't' },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      isBase64Encoded: false,
    } satisfies Partial<APIGatewayProxyEvent>,
  };
}

/** An operation that counts its runs and answers with its run number. */
function countingOperation(
  answer: (run: number) => ApiResult | Promise<ApiResult> = (run) => ({ statusCode: 200, body: { run } }),
) {
  let runs = 0;
  const perform = async () => {
    runs += 1;
    return answer(runs);
  };
  return { perform, runs: () => runs };
}

describe('fingerprint', () => {
  it('ignores the order of keys, not their values, the route or the path parameters', () => {
    const fingerprint = (options: Parameters<typeof writeRequest>[0]) =>
      requestFingerprint(writeRequest(options).event);
    expect(fingerprint({ body: { a: 1, b: [1, { c: 2, d: 3 }] } })).toBe(
      fingerprint({ body: { b: [1, { d: 3, c: 2 }], a: 1 } }),
    );
    const base = fingerprint({ body: { a: 1 } });
    expect(fingerprint({ body: { a: 2 } })).not.toBe(base);
    expect(fingerprint({ body: { a: 1 }, method: 'POST' })).not.toBe(base);
    expect(fingerprint({ body: { a: 1 }, transferId: 'other' })).not.toBe(base);
    expect(fingerprint({})).not.toBe(base);
  });
});

describe('idempotentWrite', () => {
  it('without MS-RequestId simply runs the operation every time', async () => {
    const operation = countingOperation();
    await idempotentWrite(store, writeRequest(), operation.perform);
    await idempotentWrite(store, writeRequest(), operation.perform);
    expect(operation.runs()).toBe(2);
  });

  it('replays a success with its status, body and headers, and runs the operation once', async () => {
    const requestId = randomUUID();
    const operation = countingOperation((run) => ({
      statusCode: 201,
      body: { run },
      headers: { Location: '/x' },
    }));
    const first = await idempotentWrite(
      store,
      writeRequest({ requestId, body: { a: 1, b: 2 } }),
      operation.perform,
    );
    const again = await idempotentWrite(
      store,
      writeRequest({ requestId, body: { b: 2, a: 1 } }),
      operation.perform,
    );
    expect(operation.runs()).toBe(1);
    expect(first).toEqual({ statusCode: 201, body: { run: 1 }, headers: { Location: '/x' } });
    expect(again).toEqual({
      statusCode: 201,
      body: { run: 1 },
      headers: { Location: '/x', [IDEMPOTENT_REPLAY_HEADER]: 'true' },
    });
  });

  it('refuses the same id for another request, and scopes ids by tenant', async () => {
    const requestId = randomUUID();
    const operation = countingOperation();
    await idempotentWrite(store, writeRequest({ requestId, body: { a: 1 } }), operation.perform);
    const reused = idempotentWrite(store, writeRequest({ requestId, body: { a: 2 } }), operation.perform);
    await expect(reused).rejects.toMatchObject({ statusCode: 422, code: 'RequestIdReused' });
    const otherTenant = await idempotentWrite(
      store,
      writeRequest({ requestId, tenantId: 'tenant-b', body: { a: 2 } }),
      operation.perform,
    );
    expect(otherTenant.body).toEqual({ run: 2 });
  });

  it("scopes ids by user, and refuses the same user's id once their roles changed", async () => {
    const requestId = randomUUID();
    const operation = countingOperation();
    await idempotentWrite(store, writeRequest({ requestId }), operation.perform);
    const otherUser = await idempotentWrite(
      store,
      writeRequest({ requestId, userId: 'user-b', roles: ['SalesAgent'] }),
      operation.perform,
    );
    expect(otherUser.body).toEqual({ run: 2 });
    const demoted = idempotentWrite(
      store,
      writeRequest({ requestId, roles: ['SalesAgent'] }),
      operation.perform,
    );
    await expect(demoted).rejects.toMatchObject({ statusCode: 422, code: 'RequestIdReused' });
    expect(
      (
        await idempotentWrite(
          store,
          writeRequest({ requestId, roles: ['AdminAgent', 'AdminAgent'] }),
          operation.perform,
        )
      ).headers,
    ).toMatchObject({ [IDEMPOTENT_REPLAY_HEADER]: 'true' });
  });

  it('never remembers 401 or 403: they depend on who asks, so the retry runs again', async () => {
    for (const statusCode of [401, 403]) {
      const requestId = randomUUID();
      const operation = countingOperation((run) =>
        run === 1 ? { statusCode, body: { code: 'Refused' } } : { statusCode: 201, body: { run } },
      );
      expect((await idempotentWrite(store, writeRequest({ requestId }), operation.perform)).statusCode).toBe(
        statusCode,
      );
      expect(await idempotentWrite(store, writeRequest({ requestId }), operation.perform)).toEqual({
        statusCode: 201,
        body: { run: 2 },
      });
    }
    const thrown = randomUUID();
    const forbidden = countingOperation((run) => {
      if (run === 1) throw new ApiError(403, 'Forbidden', 'not you');
      return { statusCode: 201, body: { run } };
    });
    await expect(
      idempotentWrite(store, writeRequest({ requestId: thrown }), forbidden.perform),
    ).rejects.toThrow();
    expect(
      (await idempotentWrite(store, writeRequest({ requestId: thrown }), forbidden.perform)).body,
    ).toEqual({
      run: 2,
    });
  });

  it('answers 409 RequestInProgress with Retry-After while the first attempt runs; a crashed attempt is taken over', async () => {
    const requestId = randomUUID();
    const request = writeRequest({ requestId, body: { a: 1 } });
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    const { promise: started, resolve: markStarted } = Promise.withResolvers<void>();
    const slow = idempotentWrite(store, request, async () => {
      markStarted();
      await released;
      return { statusCode: 200, body: { slow: true } };
    });
    // The operation only runs once its in-progress marker is written.
    await started;
    const concurrent = await idempotentWrite(store, request, countingOperation().perform);
    expect(concurrent.statusCode).toBe(409);
    expect(concurrent.body).toMatchObject({ code: 'RequestInProgress' });
    expect(concurrent.headers).toEqual({ 'Retry-After': '1' });
    release();
    expect((await slow).body).toEqual({ slow: true });

    // A handler that died mid-way never completes its marker; once the lock lapses, the retry runs.
    const crashedId = randomUUID();
    await store.begin(
      { tenantId: 'tenant-a', userId: 'user-a', requestId: crashedId },
      requestFingerprint(writeRequest({ requestId: crashedId }).event, ['AdminAgent']),
    );
    nowMs += 61_000;
    const retry = await idempotentWrite(
      store,
      writeRequest({ requestId: crashedId }),
      countingOperation().perform,
    );
    expect(retry).toEqual({ statusCode: 200, body: { run: 1 } });
  });

  it('remembers refusals (domain and API errors) and replays them without running again', async () => {
    for (const refusal of [
      new DomainError(failure('TransferTerminal')),
      new ApiError(400, 'NothingToUpdate', 'Nothing to update.'),
    ]) {
      const requestId = randomUUID();
      const operation = countingOperation(() => {
        throw refusal;
      });
      await expect(idempotentWrite(store, writeRequest({ requestId }), operation.perform)).rejects.toBe(
        refusal,
      );
      const replay = await idempotentWrite(store, writeRequest({ requestId }), operation.perform);
      expect(operation.runs()).toBe(1);
      expect(replay.statusCode).toBe(refusal instanceof DomainError ? 409 : 400);
      expect(replay.body).toMatchObject({ code: refusal.code });
    }
  });

  it('never remembers 5xx answers, failures or lost optimistic-concurrency races: the retry runs again', async () => {
    const outcomes: (() => ApiResult)[] = [
      () => ({ statusCode: 503, body: { code: 'ServiceUnavailable' } }),
      () => {
        throw new StorageUnavailableError('throttled');
      },
      () => {
        throw new Error('bug');
      },
      () => {
        throw new VersionConflictError('Transfer', 't', 1, 2);
      },
      () => ({ statusCode: 409, body: { code: 'ConcurrentModification' } }),
    ];
    for (const outcome of outcomes) {
      const requestId = randomUUID();
      const operation = countingOperation((run) =>
        run === 1 ? outcome() : { statusCode: 200, body: { run } },
      );
      await idempotentWrite(store, writeRequest({ requestId }), operation.perform).catch(() => undefined);
      const retry = await idempotentWrite(store, writeRequest({ requestId }), operation.perform);
      expect(retry).toEqual({ statusCode: 200, body: { run: 2 } });
      const replay = await idempotentWrite(store, writeRequest({ requestId }), operation.perform);
      expect(operation.runs()).toBe(2);
      expect(replay.body).toEqual({ run: 2 });
    }
  });
});
