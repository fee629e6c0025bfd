// A copy of the whole table as JSON lines, and its restore: the export/restore drill of docs/runbook.md. On AWS the
// recovery of record is point-in-time recovery; this copy is what the drill uses on the local cloud, where there is
// none, and a way to move data between environments. A line is DynamoDB JSON, `{"Item":{"PK":{"S":...},...}}`, the
// format of DynamoDB's own export to S3 (and of its import from S3): plain JSON of the document client's items would
// turn string sets (relayedItemEvents, claimsInFlight) and binaries (gzipped idempotent answers) into maps.
// Restoring puts every item as it was (newer items of the same key are replaced), so it is safe to run twice.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { batchWrite } from './dynamodb-batch.ts';
import { callDynamoDb, type StoredItem } from './dynamodb-operations.ts';

const RESTORE_CHUNK = 500;

/** Calls `write` with every item of the table (strongly consistent pages); resolves how many there were. */
export async function exportTable(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  write: (item: StoredItem) => Promise<void> | void,
): Promise<number> {
  let count = 0;
  let startKey: StoredItem | undefined;
  do {
    const page = await callDynamoDb('Scan', () =>
      documentClient.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      ),
    );
    for (const item of page.Items ?? []) {
      await write(item);
      count += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** Writes every item back; resolves how many were written. */
export async function restoreTable(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  items: AsyncIterable<StoredItem>,
): Promise<number> {
  let pending: StoredItem[] = [];
  let count = 0;
  const flush = async () => {
    await batchWrite(
      documentClient,
      tableName,
      pending.map((item) => ({ PutRequest: { Item: item } })),
    );
    count += pending.length;
    pending = [];
  };
  for await (const item of items) {
    pending.push(item);
    if (pending.length >= RESTORE_CHUNK) await flush();
  }
  await flush();
  return count;
}

/** JSON has no bytes: binaries are base64, as in DynamoDB's export format. */
type JsonAttributeValue = { readonly [type: string]: unknown };

function attributeToJson(value: AttributeValue): JsonAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.M !== undefined) return { M: mapValues(value.M, attributeToJson) };
  if (value.L !== undefined) return { L: value.L.map(attributeToJson) };
  return { ...value };
}

function attributeFromJson(value: JsonAttributeValue): AttributeValue {
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: value.BS.map((text: string) => Buffer.from(text, 'base64')) };
  if (isRecord(value.M))
    return { M: mapValues(value.M as Record<string, JsonAttributeValue>, attributeFromJson) };
  if (Array.isArray(value.L)) return { L: value.L.map(attributeFromJson) };
  return value as unknown as AttributeValue;
}

const mapValues = <In, Out>(record: Record<string, In>, map: (value: In) => Out): Record<string, Out> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One line of the export: the item in DynamoDB JSON, every type kept. */
export function backupLineOf(item: StoredItem): string {
  return JSON.stringify({
    Item: mapValues(marshall(item, { removeUndefinedValues: true }), attributeToJson),
  });
}

/**
 * The item of one parsed export line, or undefined if it is none. Lines written before the export kept types (the
 * document client's plain JSON, without `Item`) are still read as they are.
 */
export function itemOfBackupLine(line: unknown): StoredItem | undefined {
  if (!isRecord(line)) return undefined;
  let item: StoredItem;
  if (isRecord(line.Item)) {
    try {
      item = unmarshall(mapValues(line.Item as Record<string, JsonAttributeValue>, attributeFromJson));
    } catch {
      return undefined;
    }
  } else {
    item = line;
  }
  return 'PK' in item && 'SK' in item ? item : undefined;
}
