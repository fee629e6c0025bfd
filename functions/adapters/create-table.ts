// Creates the single table from ./table-schema.ts if it is missing and waits until it and its indexes are ACTIVE.
// Used by the embedded local cloud and the tests; the CDK stack builds the same schema from the same constants.

import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { StorageUnavailableError, TableSchemaMismatchError } from '#application/storage-errors.ts';
import { callDynamoDb } from './dynamodb-operations.ts';
import { INDEX_PROJECTION, TABLE_INDEXES, TABLE_KEYS } from './table-schema.ts';

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const keyAttributes = [
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...TABLE_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: INDEX_PROJECTION },
    })),
  };
}

export interface EnsureTableOptions {
  /** Give up waiting for ACTIVE after this long. Default 60 s. */
  timeoutMs?: number;
  pollIntervalMs?: number;
}

/** Idempotent: creates the table if missing (or being created concurrently), then waits until everything is ACTIVE. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<TableDescription> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  let table = await describeTable(client, tableName);
  if (!table) {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (error) {
      // Someone else created it at the same moment: fine, wait for it like for our own.
      if ((error as { name?: unknown })?.name !== 'ResourceInUseException') {
        await callDynamoDb('CreateTable', () => Promise.reject(error));
      }
    }
  }
  for (;;) {
    table = await describeTable(client, tableName);
    if (table && isActive(table)) {
      assertSchema(tableName, table);
      return table;
    }
    if (Date.now() > deadline) {
      throw new StorageUnavailableError(`Table ${tableName} did not become ACTIVE in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return output.Table;
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'ResourceNotFoundException') return undefined;
    return callDynamoDb('DescribeTable', () => Promise.reject(error));
  }
}

function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

/** A table left over from an older schema (e.g. a local data folder) is reported, never silently used. */
function assertSchema(tableName: string, table: TableDescription): void {
  const keyOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    (schema ?? []).map((element) => `${element.AttributeName}:${element.KeyType}`).join(',');
  if (keyOf(table.KeySchema) !== `${TABLE_KEYS.partitionKey}:HASH,${TABLE_KEYS.sortKey}:RANGE`) {
    throw new TableSchemaMismatchError(tableName, `key schema ${keyOf(table.KeySchema)}`);
  }
  for (const expected of TABLE_INDEXES) {
    const index = table.GlobalSecondaryIndexes?.find(
      (candidate) => candidate.IndexName === expected.indexName,
    );
    if (!index) throw new TableSchemaMismatchError(tableName, `index ${expected.indexName} is missing`);
    if (keyOf(index.KeySchema) !== `${expected.partitionKey}:HASH,${expected.sortKey}:RANGE`) {
      throw new TableSchemaMismatchError(
        tableName,
        `index ${expected.indexName} has key ${keyOf(index.KeySchema)}`,
      );
    }
  }
}
