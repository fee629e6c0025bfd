// All DynamoDB repositories over one table and one document client: what a handler or workflow task wires up once.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, Storage } from '#application/ports.ts';
import { DynamoDbAuditRepository } from './dynamodb-audit-repository.ts';
import { createDynamoDbDocumentClient } from './dynamodb-client.ts';
import { DynamoDbDirectoryRepository } from './dynamodb-directory-repository.ts';
import { DynamoDbEmailMarkerStore } from './dynamodb-email-marker-store.ts';
import { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store.ts';
import { DynamoDbOpenTransfers } from './dynamodb-open-transfers.ts';
import { DynamoDbSubscriptionRepository } from './dynamodb-subscription-repository.ts';
import { DynamoDbTransferRepository } from './dynamodb-transfer-repository.ts';

export interface DynamoDbStorageOptions {
  documentClient?: DynamoDBDocumentClient;
  /** The handlers' wiring reads it from TABLE_NAME; adapters never read the environment. */
  tableName: string;
  now?: Clock;
  idempotency?: { inProgressTimeoutSeconds?: number; retentionSeconds?: number };
  emailMarkers?: { staleClaimSeconds?: number };
  transfers?: { lineItemQueryPageSize?: number };
}

export function createDynamoDbStorage(options: DynamoDbStorageOptions): Storage {
  const documentClient = options.documentClient ?? createDynamoDbDocumentClient();
  const { tableName } = options;
  const clock = options.now === undefined ? {} : { now: options.now };
  return {
    directory: new DynamoDbDirectoryRepository(documentClient, tableName),
    subscriptions: new DynamoDbSubscriptionRepository(documentClient, tableName),
    transfers: new DynamoDbTransferRepository(documentClient, tableName, options.transfers),
    openTransfers: new DynamoDbOpenTransfers(documentClient, tableName),
    audit: new DynamoDbAuditRepository(documentClient, tableName),
    idempotency: new DynamoDbIdempotencyStore(documentClient, tableName, {
      ...clock,
      ...options.idempotency,
    }),
    emailMarkers: new DynamoDbEmailMarkerStore(documentClient, tableName, {
      ...clock,
      ...options.emailMarkers,
    }),
  };
}
