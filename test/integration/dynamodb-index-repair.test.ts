// The local DynamoDB's index repair against a real dynalite data folder. dynalite writes an item's index entries
// before the item, so a kill -9 between the two leaves the index disagreeing with the table: the state is made here
// with dynalite's own storage, whose values are items in DynamoDB's attribute-value form (what such a kill leaves), then the repair at the next start must put every index back
// to what the items imply, and a Query on the index must answer as DynamoDB would.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import dynalite from 'dynalite';
import { create, getIndexActions, type TableDescription } from 'dynalite/db/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureTable } from '#adapters/create-table.ts';
import { createDynamoDbClient, createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { repairSecondaryIndexes } from '#local/dynamodb-index-repair.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#test/support/dynalite.ts';

const TABLE = 'index-repair-test';
let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'index-repair-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** dynalite on the data folder for the length of `use`. */
async function withDynalite<T>(
  use: (documents: ReturnType<typeof createDynamoDbDocumentClient>) => Promise<T>,
) {
  const server: Server = dynalite({ path: folder, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = createDynamoDbClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await ensureTable(client, TABLE);
    return await use(createDynamoDbDocumentClient(client));
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const pending = (id: string, extra: Record<string, unknown> = {}) => ({
  PK: `T#${id}`,
  SK: 'HEADER',
  GSI5PK: 'OUTBOX',
  GSI5SK: id,
  note: `item ${id}`,
  ...extra,
});

const outboxIds = (documents: ReturnType<typeof createDynamoDbDocumentClient>) =>
  documents
    .send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'GSI5',
        KeyConditionExpression: 'GSI5PK = :pk',
        ExpressionAttributeValues: { ':pk': 'OUTBOX' },
      }),
    )
    .then((page) => (page.Items ?? []).map((item) => `${item.GSI5SK}:${item.note}`));

/** Edits dynalite's LevelDB directly, as a kill between an index write and its item write leaves it. */
async function interruptedWrites() {
  const { db } = create({ path: folder });
  const entries: [string, unknown][] = [];
  for await (const entry of db.iterator({
    gte: `index-global~${TABLE}~GSI5~`,
    lt: `index-global~${TABLE}~GSI5~\uffff`,
  }))
    entries.push(entry);
  const [first, second] = entries;
  if (!first || !second) throw new Error('expected two GSI5 entries');
  const table: TableDescription = JSON.parse(JSON.stringify(await db.get(`table~${TABLE}`)));
  const gsi5 = (table.GlobalSecondaryIndexes ?? []).filter((index) => index.IndexName === 'GSI5');
  const phantom = getIndexActions(gsi5, null, marshall(pending('phantom')), table).puts[0];
  if (!phantom) throw new Error('expected an index entry for the phantom item');
  await db.batch([
    // An update that took the item off the index: the entry went, the item was never written.
    { type: 'del', key: first[0] },
    // An update that changed a projected attribute: the entry has the new version, the item the old.
    { type: 'put', key: second[0], value: { ...(second[1] as object), note: { S: 'never stored' } } },
    // A put of a new item: its entry was written, the item not.
    { type: 'put', key: `index-global~${TABLE}~GSI5~${phantom.key}`, value: phantom.item },
  ]);
  await db.close();
}

describe('index repair of the local DynamoDB', () => {
  it('puts every secondary index back to what the stored items imply after interrupted writes', async () => {
    await withDynalite(async (documents) => {
      for (const id of ['a', 'b', 'c'])
        await documents.send(new PutCommand({ TableName: TABLE, Item: pending(id) }));
      await documents.send(
        new PutCommand({ TableName: TABLE, Item: { PK: 'T#d', SK: 'HEADER', note: 'off index' } }),
      );
    });
    await interruptedWrites();
    const broken = await withDynalite(outboxIds);
    expect(broken).toEqual(['b:never stored', 'c:item c', 'phantom:item phantom']);

    const repair = await repairSecondaryIndexes(folder);
    expect(repair).toMatchObject({ tables: 1, items: 4, written: 2, deleted: 1 });

    expect(await withDynalite(outboxIds)).toEqual(['a:item a', 'b:item b', 'c:item c']);
  });

  it('writes nothing when the indexes agree with the items, however often it runs', async () => {
    await withDynalite(async (documents) => {
      for (const id of ['a', 'b'])
        await documents.send(new PutCommand({ TableName: TABLE, Item: pending(id) }));
    });
    expect(await repairSecondaryIndexes(folder)).toEqual({ tables: 1, items: 2, written: 0, deleted: 0 });
    expect(await repairSecondaryIndexes(folder)).toEqual({ tables: 1, items: 2, written: 0, deleted: 0 });
    expect(await withDynalite(outboxIds)).toEqual(['a:item a', 'b:item b']);
  });

  it('leaves an empty folder as it is', async () => {
    expect(await repairSecondaryIndexes(folder)).toEqual({ tables: 0, items: 0, written: 0, deleted: 0 });
  });
});
