// Idempotency of writes by (tenant, user, MS-RequestId). The first request writes an in-progress marker with a lock that
// lapses after `inProgressTimeoutSeconds` (a crashed handler never blocks its retries for long); completing stores the
// response to replay. Every record carries `expiresAt` (epoch seconds): AWS TTL deletes expired records, and because
// dynalite has no TTL, this store also treats an expired record as absent when it reads or overwrites one.

import { gunzipSync, gzipSync } from 'node:zlib';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Clock,
  IdempotencyBeginResult,
  IdempotencyKey,
  IdempotencyStore,
  StoredResponse,
} from '#application/ports.ts';
import { IdempotentResponseTooLargeError } from '#application/storage-errors.ts';
import {
  conditionalDelete,
  conditionalPut,
  conditionalUpdate,
  getItem,
  type StoredItem,
} from './dynamodb-operations.ts';
import { idempotencyKeys } from './table-keys.ts';

export interface IdempotencyStoreOptions {
  now?: Clock;
  /** How long an in-progress marker blocks retries; past it, a retry with the same body takes over. Default 60 s. */
  inProgressTimeoutSeconds?: number;
  /** How long a completed response is replayed. Default 24 h. */
  retentionSeconds?: number;
}

/** Longer than any request runs (a Lambda function times out after 20 s): a marker this old was left by a crash. */
export const DEFAULT_IN_PROGRESS_TIMEOUT_SECONDS = 60;

/** Bodies above this size are stored gzipped; the 400 KB item limit must hold for a 1,000-line-item transfer. */
const COMPRESS_ABOVE_BYTES = 8 * 1024;
const MAX_STORED_BODY_BYTES = 300 * 1024;

interface StoredResponseAttribute {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  bodyGzip?: Uint8Array;
}

function encodeResponse(response: StoredResponse): StoredResponseAttribute {
  const encoded: StoredResponseAttribute = { statusCode: response.statusCode };
  if (response.headers !== undefined) encoded.headers = response.headers;
  if (response.body === undefined) return encoded;
  if (Buffer.byteLength(response.body, 'utf8') <= COMPRESS_ABOVE_BYTES) {
    encoded.body = response.body;
    return encoded;
  }
  const compressed = gzipSync(Buffer.from(response.body, 'utf8'));
  if (compressed.byteLength > MAX_STORED_BODY_BYTES)
    throw new IdempotentResponseTooLargeError(compressed.byteLength);
  encoded.bodyGzip = new Uint8Array(compressed);
  return encoded;
}

function decodeResponse(stored: StoredResponseAttribute): StoredResponse {
  const response: StoredResponse = { statusCode: stored.statusCode };
  if (stored.headers !== undefined) response.headers = stored.headers;
  if (stored.body !== undefined) response.body = stored.body;
  else if (stored.bodyGzip !== undefined) response.body = gunzipSync(stored.bodyGzip).toString('utf8');
  return response;
}

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  private readonly now: Clock;
  private readonly inProgressTimeoutMs: number;
  private readonly retentionSeconds: number;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: IdempotencyStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.inProgressTimeoutMs =
      (options.inProgressTimeoutSeconds ?? DEFAULT_IN_PROGRESS_TIMEOUT_SECONDS) * 1000;
    this.retentionSeconds = options.retentionSeconds ?? 24 * 60 * 60;
  }

  async begin(request: IdempotencyKey, fingerprint: string): Promise<IdempotencyBeginResult> {
    const { tenantId, requestId } = request;
    const key = idempotencyKeys.request(tenantId, request.userId, requestId);
    // A lost race against an expiring record is retried; three rounds are plenty.
    for (let round = 0; round < 3; round++) {
      const nowMs = this.now().getTime();
      const nowSeconds = Math.floor(nowMs / 1000);
      const begun = await conditionalPut(this.documentClient, {
        TableName: this.tableName,
        Item: {
          ...key,
          entityType: 'IdempotencyRecord',
          tenantId,
          requestId,
          fingerprint,
          state: 'InProgress',
          lockedUntil: nowMs + this.inProgressTimeoutMs,
          expiresAt: nowSeconds + this.retentionSeconds,
        },
        ConditionExpression:
          'attribute_not_exists(PK) OR expiresAt <= :nowSeconds OR ' +
          '(#state = :inProgress AND lockedUntil <= :nowMs AND fingerprint = :fingerprint)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':nowSeconds': nowSeconds,
          ':nowMs': nowMs,
          ':inProgress': 'InProgress',
          ':fingerprint': fingerprint,
        },
      });
      if (begun) return 'new';
      const current = await getItem(this.documentClient, this.tableName, key);
      if (!current || this.isExpired(current)) continue;
      if (current.fingerprint !== fingerprint) return 'fingerprint-mismatch';
      if (current.state === 'Completed') {
        return { replay: decodeResponse(current.response as StoredResponseAttribute) };
      }
      return 'in-progress';
    }
    return 'in-progress';
  }

  async complete(request: IdempotencyKey, fingerprint: string, response: StoredResponse): Promise<boolean> {
    const encoded = encodeResponse(response);
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const completed = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: idempotencyKeys.request(request.tenantId, request.userId, request.requestId),
      UpdateExpression:
        'SET #state = :completed, #response = :response, expiresAt = :expiresAt REMOVE lockedUntil',
      ConditionExpression: 'attribute_exists(PK) AND #state = :inProgress AND fingerprint = :fingerprint',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'Completed',
        ':inProgress': 'InProgress',
        ':response': encoded,
        ':expiresAt': nowSeconds + this.retentionSeconds,
        ':fingerprint': fingerprint,
      },
    });
    return completed !== undefined;
  }

  async abandon(request: IdempotencyKey, fingerprint: string): Promise<boolean> {
    const abandoned = await conditionalDelete(this.documentClient, {
      TableName: this.tableName,
      Key: idempotencyKeys.request(request.tenantId, request.userId, request.requestId),
      ConditionExpression: '#state = :inProgress AND fingerprint = :fingerprint',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':inProgress': 'InProgress', ':fingerprint': fingerprint },
    });
    return abandoned !== undefined;
  }

  private isExpired(item: StoredItem): boolean {
    return typeof item.expiresAt === 'number' && item.expiresAt <= Math.floor(this.now().getTime() / 1000);
  }
}
