// The table, the client and the shared mechanics, against a real dynalite over the DynamoDB wire protocol.

import { createServer, type Socket } from 'node:net';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '#adapters/create-table.ts';
import { createDynamoDbClient, createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { decodeContinuationToken, encodeContinuationToken } from '#adapters/dynamodb-operations.ts';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { TABLE_INDEXES } from '#adapters/table-schema.ts';
import {
  InvalidContinuationTokenError,
  InvalidKeyError,
  StorageError,
  StorageUnavailableError,
} from '#application/storage-errors.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalDynamoDb,
  startDynalite,
} from '#test/support/dynalite.ts';

let db: LocalDynamoDb;

beforeAll(async () => {
  db = await startDynalite('storage-table-test');
});

afterAll(async () => {
  await db.stop();
});

describe('ensureTable', () => {
  it('creates the table with every index of the schema, ACTIVE', async () => {
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: db.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      TABLE_INDEXES.map((index) => index.indexName).sort(),
    );
    expect(Table?.GlobalSecondaryIndexes?.every((index) => index.Projection?.ProjectionType === 'ALL')).toBe(
      true,
    );
  });

  it('is idempotent, also when called concurrently for a new table', async () => {
    const again = await ensureTable(db.client, db.tableName);
    expect(again.TableName).toBe(db.tableName);
    const created = await Promise.all([
      ensureTable(db.client, 'storage-table-concurrent'),
      ensureTable(db.client, 'storage-table-concurrent'),
    ]);
    expect(created.map((table) => table.TableStatus)).toEqual(['ACTIVE', 'ACTIVE']);
  });
});

describe('the document client', () => {
  const saved = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = saved;
  });

  it('finds the endpoint through the standard AWS_ENDPOINT_URL_DYNAMODB variable', async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = db.endpoint;
    const documentClient = createDynamoDbDocumentClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const storage = createDynamoDbStorage({ documentClient, tableName: db.tableName });
    await storage.directory.putCustomer({
      customerId: 'env-customer',
      name: 'Env',
      contactEmail: 'env@example.com',
    });
    expect(await storage.directory.getCustomer('env-customer')).toEqual({
      customerId: 'env-customer',
      name: 'Env',
      contactEmail: 'env@example.com',
    });
    documentClient.destroy();
  });

  it('drops undefined attributes instead of failing', async () => {
    const storage = createDynamoDbStorage({ documentClient: db.documentClient, tableName: db.tableName });
    await storage.directory.putPartner({
      tenantId: 'undefined-fields',
      name: 'P',
      kind: 'DirectBill',
      partnerId: '1',
      providerTenantId: undefined,
      partnerAgreementSigned: true,
      adminEmails: [],
    });
    const partner = await storage.directory.getPartner('undefined-fields');
    expect(partner && 'providerTenantId' in partner).toBe(false);
  });
});

describe('SDK errors become typed storage errors', () => {
  it('a refused connection is StorageUnavailableError (retryable)', async () => {
    const port = await closedPort();
    const client = createDynamoDbClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const storage = createDynamoDbStorage({
      documentClient: createDynamoDbDocumentClient(client),
      tableName: 'x-y-z',
    });
    const failure = await storage.directory.getPartner('p').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect((failure as StorageError).retryable).toBe(true);
    client.destroy();
  });

  it('a server that never answers ends in StorageUnavailableError (the request timeout applies)', async () => {
    const sockets: Socket[] = [];
    // Accept the connection, never answer.
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = createDynamoDbClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
      requestTimeoutMs: 300,
    });
    const storage = createDynamoDbStorage({
      documentClient: createDynamoDbDocumentClient(client),
      tableName: 'x-y-z',
    });
    const failure = await storage.directory.getPartner('p').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('a missing table is a non-retryable StorageError', async () => {
    const storage = createDynamoDbStorage({ documentClient: db.documentClient, tableName: 'no-such-table' });
    const failure = await storage.directory.getPartner('p').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).not.toBeInstanceOf(StorageUnavailableError);
    expect((failure as StorageError).code).toBe('StorageFailure');
  });

  it('an id that cannot be part of a key is InvalidKeyError, before any call', async () => {
    const storage = createDynamoDbStorage({ documentClient: db.documentClient, tableName: db.tableName });
    await expect(storage.directory.getPartner('a#b')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.directory.getPartner('')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.transfers.get('customer', 'x'.repeat(257))).rejects.toBeInstanceOf(InvalidKeyError);
  });
});

describe('continuation tokens', () => {
  const scope = { keyNames: ['PK', 'SK'], partitionKeyName: 'PK', partitionKeyValue: 'CUSTOMER#c1' };

  it('round-trip the last evaluated key', () => {
    const key = { PK: 'CUSTOMER#c1', SK: 'SUBSCRIPTION#s1' };
    const token = encodeContinuationToken(key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeContinuationToken(token, scope)).toEqual(key);
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['not JSON', Buffer.from('not json').toString('base64url')],
    ['JSON without version', encode({ k: { PK: 'CUSTOMER#c1', SK: 'x' } })],
    ['a key with other attributes', encode({ v: 1, k: { PK: 'CUSTOMER#c1', other: 'x' } })],
    ['a key with non-string values', encode({ v: 1, k: { PK: 'CUSTOMER#c1', SK: { S: 'x' } } })],
    ['a key of another partition', encode({ v: 1, k: { PK: 'CUSTOMER#c2', SK: 'SUBSCRIPTION#s1' } })],
    ['far too long', 'a'.repeat(5000)],
  ])('refuse %s with InvalidContinuationTokenError', (_case, token) => {
    expect(() => decodeContinuationToken(token, scope)).toThrow(InvalidContinuationTokenError);
  });

  it('garbage in a listing call is a typed error, never a crash', async () => {
    const storage = createDynamoDbStorage({ documentClient: db.documentClient, tableName: db.tableName });
    for (const token of [
      'garbage!',
      encode({ v: 1, k: { PK: 'PARTNER#other', SK: 'USER#u' } }),
      'eyJ2IjoxfQ',
    ]) {
      await expect(
        storage.directory.listUsersOfPartner('p1', { continuationToken: token }),
      ).rejects.toBeInstanceOf(InvalidContinuationTokenError);
      await expect(
        storage.transfers.listForPartner('p1', 'incoming', { continuationToken: token }),
      ).rejects.toBeInstanceOf(InvalidContinuationTokenError);
    }
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
