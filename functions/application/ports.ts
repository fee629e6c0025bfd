// What the use cases may ask of the outside world: storage, the workflow engine. Implementations live in adapters/
// (DynamoDB, Step Functions), in-memory fakes in test/unit/application/. Every storage method either succeeds or
// throws one of the typed errors of ./storage-errors.ts.

import type {
  AuditRecord,
  Customer,
  LineItemStatus,
  Partner,
  Relationship,
  SandboxUser,
  Subscription,
  Transfer,
  TransferLineItem,
  TransferStatus,
} from '#domain/model.ts';

/** The clock the adapters read; tests pass a fixed one. */
export type Clock = () => Date;

/** One page of a listing. `continuationToken` is opaque; absent when there is nothing more. */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

/** The one default page size: a listing asked for without a limit, over HTTP or from storage. */
export const DEFAULT_PAGE_LIMIT = 25;
/** The most items one storage page holds (the API allows fewer: MAX_API_PAGE_LIMIT). */
export const MAX_STORAGE_PAGE_LIMIT = 1_000;

export interface PageRequest {
  /** 1..MAX_STORAGE_PAGE_LIMIT, default DEFAULT_PAGE_LIMIT. */
  limit?: number;
  continuationToken?: string;
}

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
   * Moves billing from `fromTenantId` to `toTenantId` if the subscription is billed by `from` and claimed by this
   * transfer; clears the claim. Called again after success it resolves `{ alreadyMoved: true }`.
   * Throws SubscriptionConflictError ('not-claimed-by-this-transfer' | 'not-billed-by-source') or NotFoundError.
   */
  moveBillingOwner(
    request: MoveBillingOwnerRequest,
  ): Promise<{ alreadyMoved: boolean; subscription: Subscription }>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Transfers.

/** A transfer without its line items, as listings return it. */
export type TransferHeader = Omit<Transfer, 'lineItems'> & { lineItemCount: number };

export type TransferDirection = 'incoming' | 'outgoing';

export interface TransferListRequest extends PageRequest {
  status?: TransferStatus | readonly TransferStatus[];
}

export interface CustomerTransferListRequest extends TransferListRequest {
  /** Only transfers whose source or target is this tenant, or whose header names `partnerOnRecord`. */
  visibleTo?: { tenantId: string; partnerId?: string };
}

/** Fields a status change may set together with the status. */
export type TransferStatusChangeFields = Partial<
  Pick<
    Transfer,
    'lastModifiedTime' | 'lastModifiedUser' | 'acceptedTime' | 'completedTime' | 'expirationTime'
  >
>;

export interface TransferStatusChange {
  from: readonly TransferStatus[];
  to: TransferStatus;
  expectedVersion?: number;
  set?: TransferStatusChangeFields;
  /** Fields the change removes (an operator's retry reopens a finished transfer: it has no completion time). */
  remove?: readonly 'completedTime'[];
}

export interface TransferStatusChangeResult {
  transfer: TransferHeader;
  /** The task token the workflow stored while waiting for acceptance, if it did already. */
  acceptanceTaskToken?: string;
}

export interface LineItemChange {
  status?: LineItemStatus;
  /** Adds one to `attempts`. */
  incrementAttempts?: boolean;
  /** null removes the error. */
  transferError?: { code: string; description: string } | null;
  completedTime?: string;
}

export interface LineItemCondition {
  /** The change applies only while the item is in one of these statuses. Default: any status except Complete. */
  statusIn?: readonly LineItemStatus[];
  /**
   * The header's lineItemsRevision as the caller read it (getHeader): saves looking it up again. Line items are
   * frozen once a transfer is accepted, so the workflow's value stays right; a stale one finds no item (NotFound).
   */
  lineItemsRevision?: number;
}

export interface NotificationError {
  event: string;
  recipient: string;
  description: string;
}

/** The workflow's own bookkeeping on a transfer header; never part of a `Transfer` the API returns. */
export interface TransferWorkflowMarks {
  /** The creation notifications were handled (sent, or their failure recorded). */
  creationNotified: boolean;
  /** Which set of line items is current (line item keys carry it). */
  lineItemsRevision: number;
  /** Which execution of the workflow is current: 0 for the first, +1 for each restart (see OpenTransfers). */
  workflowRun: number;
}

export interface TransferRepository {
  /**
   * Writes the header (conditional: attribute_not_exists) and then the line items. An identical retry (same id,
   * createdTime and version) completes a crashed earlier attempt; anything else throws AlreadyExistsError.
   */
  create(transfer: Transfer): Promise<void>;
  /** Header and current line items (in line item order) from one paginated Query; strongly consistent. */
  get(customerId: string, transferId: string): Promise<Transfer | undefined>;
  /** GSI3, newest first. */
  listByCustomer(customerId: string, request?: CustomerTransferListRequest): Promise<Page<TransferHeader>>;
  /** 'outgoing': created by `tenantId` as target (GSI1); 'incoming': waiting for `tenantId` as source (GSI2). */
  listForPartner(
    tenantId: string,
    direction: TransferDirection,
    request?: TransferListRequest,
  ): Promise<Page<TransferHeader>>;
  /** The PATCH path: new line items and a version bump, conditional on the version. Resolves the new version. */
  replaceLineItems(
    customerId: string,
    transferId: string,
    lineItems: readonly TransferLineItem[],
    options: {
      expectedVersion: number;
      set?: Pick<TransferStatusChangeFields, 'lastModifiedTime' | 'lastModifiedUser'>;
    },
  ): Promise<number>;
  /**
   * The single conditional write that submit, cancel, expiry and the workflow race on: exactly one caller wins.
   * Bumps the version. TransferStatusConflictError / VersionConflictError / NotFoundError for the losers.
   */
  changeStatus(
    customerId: string,
    transferId: string,
    change: TransferStatusChange,
  ): Promise<TransferStatusChangeResult>;
  /** Stores the workflow's task token; only while Active (else TransferStatusConflictError). No version bump. */
  storeAcceptanceToken(customerId: string, transferId: string, token: string): Promise<void>;
  getStatusAndAcceptanceToken(
    customerId: string,
    transferId: string,
  ): Promise<{ status: TransferStatus; acceptanceTaskToken?: string } | undefined>;
  /**
   * Conditional per-item change (a retried move never counts twice). LineItemStatusConflictError when the
   * condition refuses, NotFoundError when the item does not exist. Does not touch the header.
   */
  updateLineItem(
    customerId: string,
    transferId: string,
    lineItemId: string,
    change: LineItemChange,
    condition?: LineItemCondition,
  ): Promise<TransferLineItem>;
  /** Records a non-blocking notification failure, once per (event, recipient); the latest description wins. */
  recordNotificationError(customerId: string, transferId: string, error: NotificationError): Promise<void>;
  /**
   * The header alone, from one strongly consistent GetItem (no line items), with the workflow's marks: what the
   * workflow routes by.
   */
  getHeader(
    customerId: string,
    transferId: string,
  ): Promise<(TransferHeader & TransferWorkflowMarks) | undefined>;
  /** Sets `creationNotified`. Idempotent; no version bump (not a domain change). NotFoundError. */
  markCreationNotified(customerId: string, transferId: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Open transfers: what the reconciler and the operators look at.

/** A transfer that is not finished, with the number of its current workflow execution. */
export type OpenTransfer = TransferHeader & {
  workflowRun: number;
  /** When the current run was claimed (absent for run 0: the API started it at creation). */
  workflowRunStartedAt?: string;
};

export interface OpenTransfers {
  /** GSI4: the transfers in one open status, oldest first; eventually consistent on AWS. */
  list(status: TransferStatus, page?: PageRequest): Promise<Page<OpenTransfer>>;
  /**
   * Claims the next workflow run (conditional: the current run is still `expectedRun`), so that of several repairers
   * exactly one starts the next execution. Resolves false when another one claimed it first.
   */
  claimNextWorkflowRun(
    customerId: string,
    transferId: string,
    expectedRun: number,
    at: string,
  ): Promise<boolean>;
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
