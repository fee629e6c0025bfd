// Batch reads and writes that retry unprocessed items with backoff, a few batches at a time.
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachConcurrently } from '#application/for-each-concurrently.ts';
import { StorageUnavailableError } from '#application/storage-errors.ts';
import { callDynamoDb, type StoredItem } from './dynamodb-operations.ts';

const BATCH_WRITE_SIZE = 25;
const BATCH_GET_SIZE = 100;
const BATCH_PARALLELISM = 4;
const MAX_BATCH_ATTEMPTS = 8;

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < values.length; index += size) chunks.push(values.slice(index, index + size));
  return chunks;
}

function backoff(attempt: number): Promise<void> {
  const delay = Math.min(1_000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, delay));
}

export type WriteRequest = { PutRequest: { Item: StoredItem } } | { DeleteRequest: { Key: StoredItem } };

/** Unconditional puts and deletes, 25 per request, retrying unprocessed items with backoff. */
export async function batchWrite(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  await forEachConcurrently(chunk(requests, BATCH_WRITE_SIZE), BATCH_PARALLELISM, async (batch) => {
    let pending: WriteRequest[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) {
        throw new StorageUnavailableError(`BatchWriteItem: ${pending.length} items stayed unprocessed`);
      }
      if (attempt > 0) await backoff(attempt);
      const output = await callDynamoDb('BatchWriteItem', () =>
        documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })),
      );
      pending = (output.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  });
}

/** Strongly consistent reads of up to 100 keys per request; missing keys are absent from the result. */
export async function batchGet(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly StoredItem[],
): Promise<StoredItem[]> {
  const found: StoredItem[] = [];
  await forEachConcurrently(chunk(keys, BATCH_GET_SIZE), BATCH_PARALLELISM, async (batch) => {
    let pending: StoredItem[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) {
        throw new StorageUnavailableError(`BatchGetItem: ${pending.length} keys stayed unprocessed`);
      }
      if (attempt > 0) await backoff(attempt);
      const output = await callDynamoDb('BatchGetItem', () =>
        documentClient.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        ),
      );
      found.push(...(output.Responses?.[tableName] ?? []));
      pending = output.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  });
  return found;
}
