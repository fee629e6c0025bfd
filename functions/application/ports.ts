// What the use cases may ask of the outside world: storage, the workflow engine. Implementations live in adapters/
// (DynamoDB, Step Functions), in-memory fakes in test/unit/application/. Every storage method either succeeds or
// throws one of the typed errors of ./storage-errors.ts.

import type {
  AuditRecord,
  Customer,
  Partner,
  Relationship,
  SandboxUser,
  Subscription,
} from '#domain/model.ts';
import type { Page, PageRequest } from './paging.ts';
import type { OpenTransfers, TransferRepository } from './transfer-ports.ts';

/** The clock the adapters read; tests pass a fixed one. */
export type Clock = () => Date;

export * from './paging.ts';
export * from './transfer-ports.ts';

/** Seeding writes are insert-if-absent unless `overwrite` is set: a restart never clobbers changed data. */
export interface PutOptions {
  overwrite?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------------
// Directory: partners, sandbox users, customers, relationships.

export interface DirectoryRepository {
  /** Resolves true when the item was written, false when it existed and `overwrite` was not set. */
  putPartner(partner: Partner, options?: PutOptions): Promise<boolean>;
  getPartner(tenantId: string): Promise<Partner | undefined>;
  listPartners(page?: PageRequest): Promise<Page<Partner>>;

  putUser(user: SandboxUser, options?: PutOptions): Promise<boolean>;
  getUser(tenantId: string, userId: string): Promise<SandboxUser | undefined>;
  /** By user id alone (GSI1; eventually consistent on AWS). */
  findUserById(userId: string): Promise<SandboxUser | undefined>;
  listUsersOfPartner(tenantId: string, page?: PageRequest): Promise<Page<SandboxUser>>;

  putCustomer(customer: Customer, options?: PutOptions): Promise<boolean>;
  getCustomer(customerId: string): Promise<Customer | undefined>;
  listCustomers(page?: PageRequest): Promise<Page<Customer>>;

  putRelationship(relationship: Relationship, options?: PutOptions): Promise<boolean>;
  getRelationship(customerId: string, partnerTenantId: string): Promise<Relationship | undefined>;
  listRelationshipsOfCustomer(customerId: string, page?: PageRequest): Promise<Page<Relationship>>;
  listRelationshipsOfPartner(partnerTenantId: string, page?: PageRequest): Promise<Page<Relationship>>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Subscriptions.

export interface MoveBillingOwnerRequest {
  customerId: string;
  subscriptionId: string;
  transferId: string;
  fromTenantId: string;
  toTenantId: string;
  /** Partner of record after the move; undefined removes the old one (it belonged to the source's channel). */
  partnerIdOnRecord?: string;
}

export interface SubscriptionRepository {
  put(subscription: Subscription, options?: PutOptions): Promise<boolean>;
  get(customerId: string, subscriptionId: string): Promise<Subscription | undefined>;
  /** Up to 1,000 subscriptions of one customer in batches of 100; missing ids are simply absent from the result. */
  getMany(customerId: string, subscriptionIds: readonly string[]): Promise<Subscription[]>;
  listByCustomer(customerId: string, page?: PageRequest): Promise<Page<Subscription>>;
  /** GSI2; eventually consistent on AWS. */
  listByBillingPartner(tenantId: string, page?: PageRequest): Promise<Page<Subscription>>;
  /**
   * Marks the subscription as part of `transferId`. Succeeds again for the same transfer.
   * Throws SubscriptionConflictError ('claimed-by-another-transfer' | 'not-billed-by-source') or NotFoundError.
   */
  claimForTransfer(
    customerId: string,
    subscriptionId: string,
    transferId: string,
    expectedSourceTenantId: string,
  ): Promise<Subscription>;
  /** Removes the claim if (and only if) `transferId` holds it. Resolves whether a claim was removed. */
  releaseClaim(customerId: string, subscriptionId: string, transferId: string): Promise<boolean>;
  /**
   * The ids of the customer's subscriptions that `transferId` holds a claim on. Reads every subscription of the
   * customer (claims have no index), but answers only the matching ids, in as few requests as storage allows.
   */
  claimedBy(customerId: string, transferId: string): Promise<string[]>;
  /**
   * Moves billing from `fromTenantId` to `toTenantId` if the subscription is billed by `from` and claimed by this
   * transfer or by none (a claim a racing update released is taken back by the move itself); clears the claim.
   * Called again after success it resolves `{ alreadyMoved: true }`.
   * Throws SubscriptionConflictError ('claimed-by-another-transfer' | 'not-billed-by-source') or NotFoundError.
   */
  moveBillingOwner(
    request: MoveBillingOwnerRequest,
  ): Promise<{ alreadyMoved: boolean; subscription: Subscription }>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Audit.

export interface AuditListRequest extends PageRequest {
  /** Inclusive bounds on `at` (ISO 8601, as written). */
  from?: string;
  to?: string;
  transferId?: string;
}

export interface AuditRepository {
  /** Conditional put by record id: a duplicate is a success that resolves `{ appended: false }`. */
  append(record: AuditRecord): Promise<{ appended: boolean }>;
  /** Newest first (GSI1, or GSI2 when `transferId` is given); eventually consistent on AWS. */
  list(partnerTenantId: string, request?: AuditListRequest): Promise<Page<AuditRecord>>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Idempotency of writes (MS-RequestId).

export interface StoredResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export type IdempotencyBeginResult =
  | 'new'
  | 'in-progress'
  | 'fingerprint-mismatch'
  | { replay: StoredResponse };

/** Whose request an MS-RequestId names: the same id from another user (or tenant) is another request. */
export interface IdempotencyKey {
  tenantId: string;
  userId: string;
  requestId: string;
}

export interface IdempotencyStore {
  /**
   * 'new': the caller owns the request now (an in-progress marker was written). { replay }: the stored response of
   * the completed earlier request. 'in-progress': an earlier attempt is still running. 'fingerprint-mismatch': the
   * same request id came with another request (or the same user with other roles). Expired records count as absent.
   */
  begin(key: IdempotencyKey, fingerprint: string): Promise<IdempotencyBeginResult>;
  /** Stores the response to replay. Resolves false if this caller no longer owns the in-progress marker. */
  complete(key: IdempotencyKey, fingerprint: string, response: StoredResponse): Promise<boolean>;
  /** Drops the in-progress marker (e.g. after a 5xx) so a retry runs again. Resolves whether it was dropped. */
  abandon(key: IdempotencyKey, fingerprint: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Email markers: each email at most once per (transfer, event, recipient).

export type EmailClaim =
  /** takenOver: the claim was a stale one of a sender that died after claiming, perhaps after sending. */
  { claimed: true; claimToken: string; takenOver: boolean } | { claimed: false; state: 'sending' | 'sent' };

export interface EmailMarker {
  state: 'sending' | 'sent';
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
}

export interface EmailMarkerStore {
  /**
   * claimed: true for exactly one caller: the first, or one taking over a 'sending' claim older than the stale
   * threshold (a sender that crashed after claiming; `takenOver` says so). 'sent' is final.
   */
  claim(transferId: string, event: string, recipient: string): Promise<EmailClaim>;
  /** Final. Always succeeds (the mail went out, whoever held the claim). */
  markSent(
    transferId: string,
    event: string,
    recipient: string,
    sent?: { messageId?: string },
  ): Promise<void>;
  /** Gives a claim back after a failed send so a retry may claim at once. Resolves whether the claim was ours. */
  release(transferId: string, event: string, recipient: string, claimToken: string): Promise<boolean>;
  get(transferId: string, event: string, recipient: string): Promise<EmailMarker | undefined>;
  /** Every email marker of one transfer (one Query on its partition): what operators inspect. */
  listForTransfer(transferId: string): Promise<EmailMarkerEntry[]>;
}

export type EmailMarkerEntry = EmailMarker & { event: string; recipient: string };

/** Everything storage offers, as one object handlers receive. */
export interface Storage {
  directory: DirectoryRepository;
  subscriptions: SubscriptionRepository;
  transfers: TransferRepository;
  openTransfers: OpenTransfers;
  audit: AuditRepository;
  idempotency: IdempotencyStore;
  emailMarkers: EmailMarkerStore;
}

// ---------------------------------------------------------------------------------------------------------------------
// The workflow engine, as the API's use cases see it.

export interface TransferWorkflowInput {
  customerId: string;
  transferId: string;
  /** Which run of the transfer's workflow (0: the first, started at creation; the reconciler counts restarts). */
  run?: number;
}

/** How a resume attempt ended: a stale token is normal after a race and never an error for the caller. */
export type ResumeOutcome = 'resumed' | 'token-no-longer-valid';

export interface TransferWorkflow {
  /** Idempotent: the execution is named after the transfer (and run), so a retried start finds the same execution. */
  start(input: TransferWorkflowInput): Promise<void>;
  accept(taskToken: string): Promise<ResumeOutcome>;
  cancel(taskToken: string): Promise<ResumeOutcome>;
  /** Ends the acceptance wait of a transfer that is no longer Active (expired by operations): it routes by status. */
  endAcceptanceWait(taskToken: string): Promise<ResumeOutcome>;
}
