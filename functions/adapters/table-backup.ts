// A copy of the whole table as JSON lines (one item per line, as the document client reads it), and its restore:
// the export/restore drill of docs/runbook.md. On AWS the recovery of record is point-in-time recovery; this copy is
// what the drill uses on the local cloud, where there is none, and a way to move data between environments.
// Restoring puts every item as it was (newer items of the same key are replaced), so it is safe to run twice.
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
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
