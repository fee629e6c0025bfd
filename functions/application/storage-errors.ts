// Typed errors of the storage adapter. Nothing from the AWS SDK leaves functions/adapters: every SDK failure is turned
// into one of these (the original error stays reachable as `cause`, for logs only).
//
// `retryable` tells callers (workflow tasks, handlers) whether the same call may succeed later: throttling, timeouts
// and network failures are retryable; condition failures and bad input are not.

import type { LineItemStatus, TransferStatus } from '#domain/model.ts';

export type StorageErrorCode =
  | 'StorageUnavailable'
  | 'StorageFailure'
  | 'ConditionFailed'
  | 'NotFound'
  | 'AlreadyExists'
  | 'VersionConflict'
  | 'TransferStatusConflict'
  | 'LineItemStatusConflict'
  | 'SubscriptionClaimedByAnotherTransfer'
  | 'SubscriptionNotBilledBySource'
  | 'InvalidContinuationToken'
  | 'InvalidKey'
  | 'IdempotentResponseTooLarge'
  | 'TableSchemaMismatch';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly retryable: boolean;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
}

/** Throttling, timeouts, network errors, 5xx: the same call may succeed later. */
export class StorageUnavailableError extends StorageError {
  constructor(message: string, cause?: unknown) {
    super('StorageUnavailable', message, { cause, retryable: true });
    this.name = 'StorageUnavailableError';
  }
}

/** A conditional write failed and no more precise error applies. */
export class ConditionFailedError extends StorageError {
  constructor(message = 'The conditional write was refused.', cause?: unknown) {
    super('ConditionFailed', message, { cause });
    this.name = 'ConditionFailedError';
  }
}

export type StoredEntity =
  | 'Partner'
  | 'SandboxUser'
  | 'Customer'
  | 'Relationship'
  | 'Subscription'
  | 'Transfer'
  | 'TransferLineItem';

export class NotFoundError extends StorageError {
  readonly entity: StoredEntity;
  readonly key: string;

  constructor(entity: StoredEntity, key: string) {
    super('NotFound', `${entity} ${key} does not exist.`);
    this.name = 'NotFoundError';
    this.entity = entity;
    this.key = key;
  }
}

export class AlreadyExistsError extends StorageError {
  readonly entity: StoredEntity;
  readonly key: string;

  constructor(entity: StoredEntity, key: string) {
    super('AlreadyExists', `${entity} ${key} already exists.`);
    this.name = 'AlreadyExistsError';
    this.entity = entity;
    this.key = key;
  }
}

/** Optimistic concurrency: somebody else changed the transfer since it was read. */
export class VersionConflictError extends StorageError {
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(entity: StoredEntity, key: string, expectedVersion: number, actualVersion: number) {
    super(
      'VersionConflict',
      `${entity} ${key} is at version ${actualVersion}, the change expected version ${expectedVersion}.`,
    );
    this.name = 'VersionConflictError';
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A status change lost: the transfer is no longer in one of the expected statuses (late or second call). */
export class TransferStatusConflictError extends StorageError {
  readonly transferId: string;
  readonly currentStatus: TransferStatus;
  readonly expectedStatuses: readonly TransferStatus[];

  constructor(
    transferId: string,
    currentStatus: TransferStatus,
    expectedStatuses: readonly TransferStatus[],
  ) {
    super(
      'TransferStatusConflict',
      `Transfer ${transferId} is ${currentStatus}, the change needs ${expectedStatuses.join(' or ')}.`,
    );
    this.name = 'TransferStatusConflictError';
    this.transferId = transferId;
    this.currentStatus = currentStatus;
    this.expectedStatuses = expectedStatuses;
  }
}

/** A line item change was refused by its condition (e.g. the item is already Complete). */
export class LineItemStatusConflictError extends StorageError {
  readonly lineItemId: string;
  readonly currentStatus: LineItemStatus;

  constructor(transferId: string, lineItemId: string, currentStatus: LineItemStatus) {
    super(
      'LineItemStatusConflict',
      `Line item ${lineItemId} of transfer ${transferId} is ${currentStatus}; the change was refused.`,
    );
    this.name = 'LineItemStatusConflictError';
    this.lineItemId = lineItemId;
    this.currentStatus = currentStatus;
  }
}

export type SubscriptionConflictReason = 'claimed-by-another-transfer' | 'not-billed-by-source';

const SUBSCRIPTION_CONFLICT_CODES = {
  'claimed-by-another-transfer': 'SubscriptionClaimedByAnotherTransfer',
  'not-billed-by-source': 'SubscriptionNotBilledBySource',
} as const satisfies Record<SubscriptionConflictReason, StorageErrorCode>;

const SUBSCRIPTION_CONFLICT_SENTENCES: Record<SubscriptionConflictReason, string> = {
  'claimed-by-another-transfer': 'is claimed by another transfer',
  'not-billed-by-source': 'is not billed by the source partner',
};

/** A claim, release or move of a subscription was refused; `reason` says why. */
export class SubscriptionConflictError extends StorageError {
  readonly reason: SubscriptionConflictReason;
  readonly subscriptionId: string;
  /** The transfer holding the claim today, if any (internal: do not show it to another partner). */
  readonly claimedByTransferId?: string;
  readonly billingPartnerTenantId: string;

  constructor(
    reason: SubscriptionConflictReason,
    subscriptionId: string,
    state: { claimedByTransferId?: string; billingPartnerTenantId: string },
  ) {
    super(
      SUBSCRIPTION_CONFLICT_CODES[reason],
      `Subscription ${subscriptionId} ${SUBSCRIPTION_CONFLICT_SENTENCES[reason]}.`,
    );
    this.name = 'SubscriptionConflictError';
    this.reason = reason;
    this.subscriptionId = subscriptionId;
    if (state.claimedByTransferId !== undefined) this.claimedByTransferId = state.claimedByTransferId;
    this.billingPartnerTenantId = state.billingPartnerTenantId;
  }
}

export class InvalidContinuationTokenError extends StorageError {
  constructor(reason: string) {
    super('InvalidContinuationToken', `The continuation token is not valid: ${reason}.`);
    this.name = 'InvalidContinuationTokenError';
  }
}

/** An identifier that cannot be part of a key (empty, too long, or containing the key separator `#`). */
export class InvalidKeyError extends StorageError {
  constructor(field: string, reason: string) {
    super('InvalidKey', `${field} ${reason}.`);
    this.name = 'InvalidKeyError';
  }
}

export class IdempotentResponseTooLargeError extends StorageError {
  constructor(bytes: number) {
    super('IdempotentResponseTooLarge', `The response to remember is too large (${bytes} bytes compressed).`);
    this.name = 'IdempotentResponseTooLargeError';
  }
}

export class TableSchemaMismatchError extends StorageError {
  constructor(tableName: string, problem: string) {
    super('TableSchemaMismatch', `Table ${tableName} exists with another schema: ${problem}.`);
    this.name = 'TableSchemaMismatchError';
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}
