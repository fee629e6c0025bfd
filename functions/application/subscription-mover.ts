// The port through which a line item's subscription changes billing owner, and the real move over the subscription
// repository (sandbox-move-faults.ts wraps it with injected faults on the local stage).
// Failures come out as two named errors the state machine tells apart by name (Lambda's errorType):
//   TransientMoveError  - the same move may succeed later: the ASL retries it with capped, jittered backoff;
//   PermanentMoveError  - it never will: the ASL catches it and records the line item as Failed.
// A storage outage is neither: it stays a StorageUnavailableError, which the task wrapper names TransientStorageError.
import type { Subscription } from '#domain/model.ts';
import { WORKFLOW_ERRORS } from '#statemachines/workflow-errors.ts';
import type { MoveBillingOwnerRequest, SubscriptionRepository } from './ports.ts';
import { NotFoundError, SubscriptionConflictError } from './storage-errors.ts';

export interface SubscriptionMoveRequest extends MoveBillingOwnerRequest {
  /** 1 for the first attempt of this line item, 2 for its first retry, ... (fault injection uses it). */
  attempt: number;
}

export interface SubscriptionMoveOutcome {
  /** True when this transfer had already moved the subscription (a retry after a crash): still a success. */
  alreadyMoved: boolean;
  subscription: Subscription;
}

export interface SubscriptionMover {
  /** Throws TransientMoveError / PermanentMoveError, or a storage error (StorageUnavailableError is transient). */
  move(request: SubscriptionMoveRequest): Promise<SubscriptionMoveOutcome>;
}

/** The move may succeed if tried again later. */
export class TransientMoveError extends Error {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = WORKFLOW_ERRORS.TransientMove;
    this.code = options.code ?? WORKFLOW_ERRORS.TransientMove;
  }
}

/** The move can never succeed (the subscription changed hands, or is gone). */
export class PermanentMoveError extends Error {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = WORKFLOW_ERRORS.PermanentMove;
    this.code = options.code ?? WORKFLOW_ERRORS.PermanentMove;
  }
}

/**
 * The real move: one conditional write of the repository (billed by the source and claimed by this transfer), which answers
 * `alreadyMoved` when this transfer moved the subscription before.
 */
export class RepositorySubscriptionMover implements SubscriptionMover {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async move(request: SubscriptionMoveRequest): Promise<SubscriptionMoveOutcome> {
    try {
      return await this.subscriptions.moveBillingOwner({
        customerId: request.customerId,
        subscriptionId: request.subscriptionId,
        transferId: request.transferId,
        fromTenantId: request.fromTenantId,
        toTenantId: request.toTenantId,
        ...(request.partnerIdOnRecord === undefined ? {} : { partnerIdOnRecord: request.partnerIdOnRecord }),
      });
    } catch (error) {
      if (error instanceof SubscriptionConflictError) {
        throw new PermanentMoveError(error.message, { code: error.code, cause: error });
      }
      if (error instanceof NotFoundError) {
        throw new PermanentMoveError(`Subscription ${request.subscriptionId} does not exist.`, {
          code: 'SubscriptionNotFound',
          cause: error,
        });
      }
      throw error;
    }
  }
}
