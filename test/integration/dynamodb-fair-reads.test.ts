// The local DynamoDB's reads in batches (#local/dynamodb-fair-reads.ts) against a real dynalite: a large Query or
// Scan answers exactly what dynalite answered before (every item, in key order, the same pages), and while it runs,
// other requests to the emulator are served instead of waiting for its end.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchWriteCommand, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '#adapters/create-table.ts';
import { createDynamoDbClient, createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { ITEMS_PER_TURN, installFairDynamoDbReads } from '#local/dynamodb-fair-reads.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#test/support/dynalite.ts';

const TABLE = 'fair-reads-test';
const ITEMS = 2_000;
const PK = 'CUSTOMER#fair-reads';
const sortKey = (index: number) => `ITEM#${String(index).padStart(5, '0')}`;

let server: Server;
let client: ReturnType<typeof createDynamoDbClient>;
let documents: ReturnType<typeof createDynamoDbDocumentClient>;

beforeAll(async () => {
  installFairDynamoDbReads();
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  client = createDynamoDbClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  documents = createDynamoDbDocumentClient(client);
  await ensureTable(client, TABLE);
  const items = Array.from({ length: ITEMS }, (_, index) => ({
    PK,
    SK: sortKey(index),
    index,
    payload: 'x'.repeat(200),
  }));
  for (let start = 0; start < items.length; start += 25 * 8) {
    await Promise.all(
      Array.from({ length: 8 }, (_, batch) => items.slice(start + batch * 25, start + (batch + 1) * 25))
        .filter((batch) => batch.length > 0)
        .map((batch) =>
          documents.send(
            new BatchWriteCommand({
              RequestItems: { [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) },
            }),
          ),
        ),
    );
  }
}, 60_000);

afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const queryAll = (options: { limit?: number; forward?: boolean } = {}) =>
  documents.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': PK },
      ...(options.limit === undefined ? {} : { Limit: options.limit }),
      ...(options.forward === undefined ? {} : { ScanIndexForward: options.forward }),
    }),
  );

describe('reads in batches', () => {
  it('a Query answers every item in key order, forwards and backwards', async () => {
    const forwards = await queryAll();
    expect(forwards.Items?.map((item) => item.index)).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
    expect(forwards.LastEvaluatedKey).toBeUndefined();
    const backwards = await queryAll({ forward: false });
    expect(backwards.Items?.map((item) => item.index)).toEqual(
      Array.from({ length: ITEMS }, (_, i) => ITEMS - 1 - i),
    );
  });

  it('Limit ends a read inside a batch and at a batch boundary, and the pages join up', async () => {
    for (const limit of [ITEMS_PER_TURN - 1, ITEMS_PER_TURN, ITEMS_PER_TURN + 1, 700]) {
      const seen: number[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': PK },
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        expect(page.Items?.length).toBeLessThanOrEqual(limit);
        seen.push(...(page.Items ?? []).map((item) => item.index as number));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      expect(seen).toEqual(Array.from({ length: ITEMS }, (_, i) => i));
    }
  });

  it('a Scan answers every item, and an empty key range answers none', async () => {
    const scanned = await documents.send(new ScanCommand({ TableName: TABLE }));
    expect(scanned.Items?.length).toBe(ITEMS);
    const none = await documents.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'CUSTOMER#nobody' },
      }),
    );
    expect(none.Items).toEqual([]);
  });

  it('a GetItem sent while a large Query runs is answered before the Query', async () => {
    const queryArrived = new Promise<void>((resolve) => {
      const onRequest = (request: { headers: Record<string, unknown> }) => {
        if (String(request.headers['x-amz-target']).endsWith('.Query')) {
          server.off('request', onRequest);
          resolve();
        }
      };
      server.on('request', onRequest);
    });
    const answered: string[] = [];
    const query = queryAll().then((result) => {
      answered.push('Query');
      return result;
    });
    await queryArrived;
    const get = documents
      .send(new GetCommand({ TableName: TABLE, Key: { PK, SK: sortKey(ITEMS - 1) } }))
      .then((result) => {
        answered.push('GetItem');
        return result;
      });
    const [queried, got] = await Promise.all([query, get]);
    expect(queried.Items?.length).toBe(ITEMS);
    expect(got.Item?.index).toBe(ITEMS - 1);
    expect(answered).toEqual(['GetItem', 'Query']);
  });
});
