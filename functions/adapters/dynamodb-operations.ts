// Shared mechanics of the DynamoDB repositories: SDK error mapping, conditional writes, paginated queries with opaque
// continuation tokens. Batches are in dynamodb-batch.ts. No entity knowledge here.

import {
  DeleteCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  type PutCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_PAGE_LIMIT,
  MAX_STORAGE_PAGE_LIMIT,
  type Page,
  type PageRequest,
  type PutOptions,
} from '#application/ports.ts';
import {
  ConditionFailedError,
  InvalidContinuationTokenError,
  StorageError,
  StorageUnavailableError,
} from '#application/storage-errors.ts';
import { type PrimaryKey, STORAGE_ATTRIBUTES } from './table-keys.ts';

export type StoredItem = Record<string, unknown>;

const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'LimitExceededException',
  'TransactionConflictException',
]);

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Any error from the SDK as a typed storage error. */
export function toStorageError(error: unknown, operation: string): StorageError {
  if (error instanceof StorageError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  if (name === 'ConditionalCheckFailedException') return new ConditionFailedError(undefined, error);
  const status = shape.$metadata?.httpStatusCode;
  if (
    TRANSIENT_ERROR_NAMES.has(name) ||
    (typeof shape.code === 'string' && NETWORK_ERROR_CODES.has(shape.code)) ||
    (typeof status === 'number' && status >= 500)
  ) {
    return new StorageUnavailableError(`${operation}: DynamoDB is unavailable (${name}: ${message})`, error);
  }
  if (name === 'ResourceNotFoundException') {
    return new StorageError('StorageFailure', `${operation}: the table does not exist (${message})`, {
      cause: error,
    });
  }
  return new StorageError('StorageFailure', `${operation}: ${name}: ${message}`, { cause: error });
}

/** Runs one SDK call; whatever it throws leaves as a StorageError. */
export async function callDynamoDb<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStorageError(error, operation);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Conditional writes: a refused condition is an answer (undefined: nothing was written), not a failure. Every other
// error leaves as a StorageError.

async function unlessConditionFails<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await callDynamoDb(operation, call);
  } catch (error) {
    if (error instanceof ConditionFailedError) return undefined;
    throw error;
  }
}

/** PutItem; undefined when its ConditionExpression refused the put. */
export function conditionalPut(
  documentClient: DynamoDBDocumentClient,
  input: PutCommandInput,
): Promise<PutCommandOutput | undefined> {
  return unlessConditionFails('PutItem', () => documentClient.send(new PutCommand(input)));
}

/** UpdateItem; undefined when its ConditionExpression refused the update. */
export function conditionalUpdate(
  documentClient: DynamoDBDocumentClient,
  input: UpdateCommandInput,
): Promise<UpdateCommandOutput | undefined> {
  return unlessConditionFails('UpdateItem', () => documentClient.send(new UpdateCommand(input)));
}

/** DeleteItem; undefined when its ConditionExpression refused the delete. */
export function conditionalDelete(
  documentClient: DynamoDBDocumentClient,
  input: DeleteCommandInput,
): Promise<DeleteCommandOutput | undefined> {
  return unlessConditionFails('DeleteItem', () => documentClient.send(new DeleteCommand(input)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Single items.

/** Insert-if-absent (or overwrite) of one item; resolves whether it was written. */
export async function putItem(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  item: StoredItem,
  options: PutOptions | undefined,
): Promise<boolean> {
  const written = await conditionalPut(documentClient, {
    TableName: tableName,
    Item: item,
    ...(options?.overwrite ? {} : { ConditionExpression: 'attribute_not_exists(PK)' }),
  });
  return written !== undefined;
}

/** One item, strongly consistent. */
export async function getItem(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  key: PrimaryKey,
): Promise<StoredItem | undefined> {
  const output = await callDynamoDb('GetItem', () =>
    documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })),
  );
  return output.Item;
}

/** The item without its key and bookkeeping attributes, ready to become a domain object. */
export function withoutStorageAttributes(item: StoredItem, extra: readonly string[] = []): StoredItem {
  const copy: StoredItem = { ...item };
  for (const name of STORAGE_ATTRIBUTES) delete copy[name];
  for (const name of extra) delete copy[name];
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------------
// Continuation tokens: base64url of {"v":1,"k":<LastEvaluatedKey>}, checked on the way in.

const TOKEN_VERSION = 1;
const MAX_TOKEN_LENGTH = 4_096;

export interface TokenScope {
  /** Attribute names the LastEvaluatedKey of this query has (table keys, plus the index keys for an index). */
  keyNames: readonly string[];
  /** The query's partition: a token from another partition (another tenant's listing) is refused. */
  partitionKeyName: string;
  partitionKeyValue: string;
}

export function encodeContinuationToken(lastEvaluatedKey: StoredItem): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, k: lastEvaluatedKey }), 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string, scope: TokenScope): Record<string, string> {
  if (typeof token !== 'string' || token.length === 0) throw new InvalidContinuationTokenError('it is empty');
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidContinuationTokenError('it is too long');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidContinuationTokenError('it is not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidContinuationTokenError('it does not decode');
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== TOKEN_VERSION) {
    throw new InvalidContinuationTokenError('unknown format');
  }
  const key = (parsed as { k?: unknown }).k;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new InvalidContinuationTokenError('unknown format');
  }
  const entries = Object.entries(key);
  const expected = new Set(scope.keyNames);
  if (
    entries.length !== expected.size ||
    entries.some(([name, value]) => !expected.has(name) || typeof value !== 'string')
  ) {
    throw new InvalidContinuationTokenError('it belongs to another listing');
  }
  const startKey = Object.fromEntries(entries) as Record<string, string>;
  if (startKey[scope.partitionKeyName] !== scope.partitionKeyValue) {
    throw new InvalidContinuationTokenError('it belongs to another listing');
  }
  return startKey;
}

// ---------------------------------------------------------------------------------------------------------------------
// Paginated queries.

/** With a FilterExpression a page may need several round trips; past this many, a shorter page is returned. */
const MAX_ROUND_TRIPS_PER_PAGE = 10;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_STORAGE_PAGE_LIMIT, Math.max(1, Math.floor(limit)));
}

export type QueryInput = Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;

/** With a filter, each round trip evaluates at least this many items (the filter may drop most of them). */
const MIN_ITEMS_EVALUATED_WITH_FILTER = 100;

/**
 * One page of a Query. Without a filter each round trip asks for exactly the items still missing. With a filter it
 * evaluates more, and when more items match than the page can take, the continuation key is built from the last item
 * kept (its key attributes are exactly what LastEvaluatedKey would hold): every item is listed exactly once.
 */
export async function queryPage<T>(
  documentClient: DynamoDBDocumentClient,
  input: QueryInput,
  page: PageRequest,
  scope: TokenScope,
  toEntity: (item: StoredItem) => T,
): Promise<Page<T>> {
  const limit = pageLimit(page.limit);
  let startKey: StoredItem | undefined =
    page.continuationToken === undefined ? undefined : decodeContinuationToken(page.continuationToken, scope);
  const items: T[] = [];
  for (let roundTrip = 0; roundTrip < MAX_ROUND_TRIPS_PER_PAGE; roundTrip++) {
    const missing = limit - items.length;
    const output = await queryOnce(documentClient, {
      ...input,
      Limit:
        input.FilterExpression === undefined
          ? missing
          : Math.min(MAX_STORAGE_PAGE_LIMIT, Math.max(missing, MIN_ITEMS_EVALUATED_WITH_FILTER)),
      ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
    });
    const found = output.Items ?? [];
    const kept = found.slice(0, missing);
    for (const item of kept) items.push(toEntity(item));
    startKey = output.LastEvaluatedKey;
    if (found.length > kept.length) {
      const last = kept[kept.length - 1] as StoredItem;
      startKey = Object.fromEntries(scope.keyNames.map((name) => [name, last[name]]));
    }
    if (startKey === undefined || items.length >= limit) break;
  }
  return startKey === undefined ? { items } : { items, continuationToken: encodeContinuationToken(startKey) };
}

/** Every item of a Query, following LastEvaluatedKey (for bounded sets: one transfer's line items). */
export async function queryAll(
  documentClient: DynamoDBDocumentClient,
  input: QueryInput,
  pageSize?: number,
): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let startKey: StoredItem | undefined;
  do {
    const output = await queryOnce(documentClient, {
      ...input,
      ...(pageSize === undefined ? {} : { Limit: pageSize }),
      ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
    });
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

async function queryOnce(documentClient: DynamoDBDocumentClient, input: QueryCommandInput) {
  try {
    return await documentClient.send(new QueryCommand(input));
  } catch (error) {
    // A start key that does not fit the query (tampered, or from other filters) is the token's fault, not ours.
    if (
      input.ExclusiveStartKey !== undefined &&
      (error as { name?: unknown })?.name === 'ValidationException'
    ) {
      throw new InvalidContinuationTokenError('it does not fit this listing');
    }
    throw toStorageError(error, 'Query');
  }
}
