// The transfer ports: what the use cases ask of transfer storage, split by who asks (see the README's Layout), and the
// open-transfers index the reconciler works from. Re-exported by ./ports.ts.
import type { LineItemStatus, Transfer, TransferLineItem, TransferStatus } from '#domain/model.ts';
import type { Page, PageRequest } from './paging.ts';

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
   * The set of line items a header read named (getHeader): saves storage looking it up again. Line items are frozen
   * once a transfer is accepted, so the workflow's reference stays right; a stale one finds no item (NotFound).
   */
  lineItemSet?: LineItemSetRef;
}

declare const lineItemSetBrand: unique symbol;
/** Which stored set of line items a header names. Opaque: only storage knows what it is made of. */
export type LineItemSetRef = number & { readonly [lineItemSetBrand]: true };

export interface NotificationError {
  event: string;
  recipient: string;
  description: string;
}

/** The workflow's own bookkeeping on a transfer header; never part of a `Transfer` the API returns. */
export interface TransferWorkflowMarks {
  /** The creation notifications were handled (sent, or their failure recorded). */
  creationNotified: boolean;
  /** Which set of line items is current: hand it back to updateLineItem. */
  lineItemSet: LineItemSetRef;
  /** Which execution of the workflow is current: 0 for the first, +1 for each restart (see OpenTransfers). */
  workflowRun: number;
}

/** What every reader needs: one transfer, and the listings (API reads, operations). */
export interface TransferReads {
  /** Header and current line items (in line item order) from one paginated Query; strongly consistent. */
  get(customerId: string, transferId: string): Promise<Transfer | undefined>;
  /**
   * The header alone, from one strongly consistent GetItem (no line items, whatever their number), with the
   * workflow's marks: what the workflow routes by, and all that submit reads.
   */
  getHeader(
    customerId: string,
    transferId: string,
  ): Promise<(TransferHeader & TransferWorkflowMarks) | undefined>;
  /**
   * `get`, and whether claims may be in flight, i.e. claims this transfer holds may lie outside its line items: a
   * PATCH marked the header before claiming subscriptions and never stored its line items nor put its claims back in
   * line (it died, or its repair failed), or one died while storing them (fewer line items than the header counts).
   * Same single Query as `get`.
   */
  getWithClaimsInFlight(
    customerId: string,
    transferId: string,
  ): Promise<{ transfer: Transfer; claimsInFlight: boolean } | undefined>;
  /** GSI3, newest first. */
  listByCustomer(customerId: string, request?: CustomerTransferListRequest): Promise<Page<TransferHeader>>;
  /** 'outgoing': created by `tenantId` as target (GSI1); 'incoming': waiting for `tenantId` as source (GSI2). */
  listForPartner(
    tenantId: string,
    direction: TransferDirection,
    request?: TransferListRequest,
  ): Promise<Page<TransferHeader>>;
}

/** The partners' requests through the API: create, replace the line items, find the acceptance wait. */
export interface TransferRequests {
  /**
   * Writes the header (conditional: attribute_not_exists) and then the line items. An identical retry (same id,
   * createdTime and version) completes a crashed earlier attempt; anything else throws AlreadyExistsError.
   */
  create(transfer: Transfer): Promise<void>;
  /**
   * The PATCH path: new line items and a version bump, conditional on the version. Resolves the new version.
   * `claimsInFlight`: the PATCH's mark (markClaimsInFlight), removed in the same write.
   */
  replaceLineItems(
    customerId: string,
    transferId: string,
    lineItems: readonly TransferLineItem[],
    options: {
      expectedVersion: number;
      set?: Pick<TransferStatusChangeFields, 'lastModifiedTime' | 'lastModifiedUser'>;
      claimsInFlight?: string;
    },
  ): Promise<number>;
  /**
   * Adds `mark` (one per PATCH attempt) to the header's claims in flight, before the PATCH claims anything: until
   * the mark is removed, the close steps look for this transfer's claims among all the customer's subscriptions.
   * Only while the transfer is Active (TransferStatusConflictError with the current status; NotFoundError).
   * No version bump: it is no domain change, and it must not make the PATCH's own version condition fail.
   */
  markClaimsInFlight(customerId: string, transferId: string, mark: string): Promise<void>;
  /** Removes `mark` once its PATCH's claims agree with the stored line items. Idempotent; no version bump. */
  clearClaimsInFlight(customerId: string, transferId: string, mark: string): Promise<void>;
  /** The current status and the acceptance wait's task token (one projected, strongly consistent read). */
  getStatusAndAcceptanceToken(
    customerId: string,
    transferId: string,
  ): Promise<{ status: TransferStatus; acceptanceTaskToken?: string } | undefined>;
}

/** The one write the API's use cases and the workflow's race on. */
export interface TransferStatusWrites {
  /**
   * The single conditional write that submit, cancel, expiry and the workflow race on: exactly one caller wins.
   * Bumps the version. TransferStatusConflictError / VersionConflictError / NotFoundError for the losers.
   */
  changeStatus(
    customerId: string,
    transferId: string,
    change: TransferStatusChange,
  ): Promise<TransferStatusChangeResult>;
}

/** The workflow's bookkeeping while it runs a transfer: its marks, the acceptance wait, the moves, notifications. */
export interface TransferProgress {
  /** Stores the workflow's task token; only while Active (else TransferStatusConflictError). No version bump. */
  storeAcceptanceToken(customerId: string, transferId: string, token: string): Promise<void>;
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
  /** Sets `creationNotified`. Idempotent; no version bump (not a domain change). NotFoundError. */
  markCreationNotified(customerId: string, transferId: string): Promise<void>;
}

/** Storage implements every part; each use case reaches only the parts its side uses. */
export interface TransferRepository
  extends TransferReads,
    TransferRequests,
    TransferStatusWrites,
    TransferProgress {}

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
