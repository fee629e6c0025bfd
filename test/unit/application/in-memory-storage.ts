// In-memory fakes of the ports the use cases depend on, with the same conditional semantics and typed errors as
// the DynamoDB adapters (each write is all or nothing, like one conditional DynamoDB write). Tests use them to run
// the use cases fast and to put a crash or a racing call between any two writes.

import type { UseCaseStorage } from '#application/dependencies.ts';
import type {
  AuditListRequest,
  AuditRepository,
  DirectoryRepository,
  LineItemSetRef,
  Page,
  ResumeOutcome,
  SubscriptionRepository,
  TransferHeader,
  TransferRepository,
  TransferWorkflow,
  TransferWorkflowMarks,
} from '#application/ports.ts';
import {
  AlreadyExistsError,
  LineItemStatusConflictError,
  NotFoundError,
  SubscriptionConflictError,
  TransferStatusConflictError,
  VersionConflictError,
} from '#application/storage-errors.ts';
import type { AuditRecord, Partner, Relationship, Subscription, Transfer } from '#domain/model.ts';

const copy = <T>(value: T): T => structuredClone(value);

function page<T>(items: readonly T[], request: { limit?: number; continuationToken?: string } = {}): Page<T> {
  const start = Number(request.continuationToken ?? 0);
  const end = start + (request.limit ?? 50);
  const slice = items.slice(start, end).map(copy);
  return end < items.length ? { items: slice, continuationToken: String(end) } : { items: slice };
}

interface StoredTransfer {
  transfer: Transfer;
  marks: TransferWorkflowMarks;
  acceptanceTaskToken?: string;
  /** The header's claims in flight: one mark per PATCH that may hold claims outside the line items. */
  claimsInFlight: Set<string>;
}

function directory(partners: Map<string, Partner>, relationships: Map<string, Relationship>) {
  const unused = (name: string) => () => Promise.reject(new Error(`${name} is not used by the use cases`));
  return {
    putPartner: async (partner: Partner) => !!partners.set(partner.tenantId, copy(partner)),
    getPartner: async (tenantId: string) => copy(partners.get(tenantId)),
    listPartners: async (request = {}) => page([...partners.values()], request),
    getRelationship: async (customerId: string, tenantId: string) =>
      copy(relationships.get(`${customerId}/${tenantId}`)),
    putUser: unused('putUser'),
    getUser: unused('getUser'),
    findUserById: unused('findUserById'),
    listUsersOfPartner: unused('listUsersOfPartner'),
    putCustomer: unused('putCustomer'),
    getCustomer: unused('getCustomer'),
    listCustomers: unused('listCustomers'),
    putRelationship: async (relationship: Relationship) =>
      !!relationships.set(`${relationship.customerId}/${relationship.partnerTenantId}`, copy(relationship)),
    // In the table's order: by partner tenant id.
    listRelationshipsOfCustomer: async (customerId: string, request = {}) =>
      page(
        [...relationships.values()]
          .filter((relationship) => relationship.customerId === customerId)
          .sort((a, b) => a.partnerTenantId.localeCompare(b.partnerTenantId)),
        request,
      ),
    listRelationshipsOfPartner: unused('listRelationshipsOfPartner'),
  } satisfies DirectoryRepository;
}

class InMemorySubscriptions implements SubscriptionRepository {
  readonly byId = new Map<string, Subscription>();

  async put(subscription: Subscription) {
    this.byId.set(subscription.subscriptionId, copy(subscription));
    return true;
  }
  async get(_customerId: string, subscriptionId: string) {
    return copy(this.byId.get(subscriptionId));
  }
  async getMany(_customerId: string, ids: readonly string[]) {
    return ids.flatMap((id) => (this.byId.has(id) ? [copy(this.byId.get(id) as Subscription)] : []));
  }
  async listByCustomer(customerId: string, request = {}) {
    return page(
      [...this.byId.values()].filter((s) => s.customerId === customerId),
      request,
    );
  }
  async listByBillingPartner(tenantId: string, request = {}) {
    return page(
      [...this.byId.values()].filter((s) => s.billingPartnerTenantId === tenantId),
      request,
    );
  }
  async claimedBy(customerId: string, transferId: string) {
    return [...this.byId.values()]
      .filter((s) => s.customerId === customerId && s.openTransferId === transferId)
      .map((s) => s.subscriptionId);
  }
  private stored(subscriptionId: string): Subscription {
    const stored = this.byId.get(subscriptionId);
    if (!stored) throw new NotFoundError('Subscription', subscriptionId);
    return stored;
  }
  private state(s: Subscription) {
    return {
      billingPartnerTenantId: s.billingPartnerTenantId,
      ...(s.openTransferId === undefined ? {} : { claimedByTransferId: s.openTransferId }),
    };
  }
  async claimForTransfer(_customerId: string, subscriptionId: string, transferId: string, source: string) {
    const s = this.stored(subscriptionId);
    if (s.openTransferId !== undefined && s.openTransferId !== transferId) {
      throw new SubscriptionConflictError('claimed-by-another-transfer', subscriptionId, this.state(s));
    }
    if (s.billingPartnerTenantId !== source) {
      throw new SubscriptionConflictError('not-billed-by-source', subscriptionId, this.state(s));
    }
    s.openTransferId = transferId;
    s.version += 1;
    return copy(s);
  }
  async releaseClaim(_customerId: string, subscriptionId: string, transferId: string) {
    const s = this.byId.get(subscriptionId);
    if (s?.openTransferId !== transferId) return false;
    delete s.openTransferId;
    s.version += 1;
    return true;
  }
  async moveBillingOwner(request: Parameters<SubscriptionRepository['moveBillingOwner']>[0]) {
    const s = this.stored(request.subscriptionId);
    const claimable = s.openTransferId === undefined || s.openTransferId === request.transferId;
    if (s.billingPartnerTenantId === request.fromTenantId && claimable) {
      s.billingPartnerTenantId = request.toTenantId;
      s.movedByTransferId = request.transferId;
      delete s.openTransferId;
      if (request.partnerIdOnRecord === undefined) delete s.partnerIdOnRecord;
      else s.partnerIdOnRecord = request.partnerIdOnRecord;
      s.version += 1;
      return { alreadyMoved: false, subscription: copy(s) };
    }
    if (s.movedByTransferId === request.transferId) return { alreadyMoved: true, subscription: copy(s) };
    if (!claimable) {
      throw new SubscriptionConflictError(
        'claimed-by-another-transfer',
        request.subscriptionId,
        this.state(s),
      );
    }
    throw new SubscriptionConflictError('not-billed-by-source', request.subscriptionId, this.state(s));
  }
}

const headerOf = ({ transfer }: StoredTransfer): TransferHeader => {
  const { lineItems, ...header } = copy(transfer);
  return { ...header, lineItemCount: lineItems.length };
};

class InMemoryTransfers implements TransferRepository {
  readonly byId = new Map<string, StoredTransfer>();

  private stored(transferId: string): StoredTransfer {
    const stored = this.byId.get(transferId);
    if (!stored) throw new NotFoundError('Transfer', transferId);
    return stored;
  }
  async create(transfer: Transfer) {
    const existing = this.byId.get(transfer.id);
    if (existing && existing.transfer.createdTime !== transfer.createdTime) {
      throw new AlreadyExistsError('Transfer', transfer.id);
    }
    if (!existing) {
      this.byId.set(transfer.id, {
        transfer: copy(transfer),
        marks: { creationNotified: false, lineItemSet: transfer.version as LineItemSetRef, workflowRun: 0 },
        claimsInFlight: new Set(),
      });
    }
  }
  async get(_customerId: string, transferId: string) {
    return copy(this.byId.get(transferId)?.transfer);
  }
  async getWithClaimsInFlight(_customerId: string, transferId: string) {
    const stored = this.byId.get(transferId);
    return stored && { transfer: copy(stored.transfer), claimsInFlight: stored.claimsInFlight.size > 0 };
  }
  async getHeader(_customerId: string, transferId: string) {
    const stored = this.byId.get(transferId);
    return stored && { ...headerOf(stored), ...stored.marks };
  }
  async listByCustomer(customerId: string, request = {}) {
    const all = [...this.byId.values()].filter((s) => s.transfer.customerTenantId === customerId);
    return page(all.map(headerOf), request);
  }
  async listForPartner(tenantId: string, direction: 'incoming' | 'outgoing', request = {}) {
    const all = [...this.byId.values()].filter(({ transfer }) =>
      direction === 'outgoing'
        ? transfer.targetPartnerTenantId === tenantId
        : transfer.sourcePartnerTenantId === tenantId,
    );
    return page(all.map(headerOf), request);
  }
  async replaceLineItems(
    _customerId: string,
    transferId: string,
    lineItems: Transfer['lineItems'],
    options: Parameters<TransferRepository['replaceLineItems']>[3],
  ) {
    const stored = this.stored(transferId);
    const { version } = stored.transfer;
    if (version !== options.expectedVersion) {
      throw new VersionConflictError('Transfer', transferId, options.expectedVersion, version);
    }
    Object.assign(stored.transfer, options.set, { version: version + 1, lineItems: copy(lineItems) });
    stored.marks.lineItemSet = (version + 1) as LineItemSetRef;
    if (options.claimsInFlight !== undefined) stored.claimsInFlight.delete(options.claimsInFlight);
    return version + 1;
  }
  async markClaimsInFlight(_customerId: string, transferId: string, mark: string) {
    const stored = this.stored(transferId);
    if (stored.transfer.status !== 'Active') {
      throw new TransferStatusConflictError(transferId, stored.transfer.status, ['Active']);
    }
    stored.claimsInFlight.add(mark);
  }
  async clearClaimsInFlight(_customerId: string, transferId: string, mark: string) {
    this.byId.get(transferId)?.claimsInFlight.delete(mark);
  }
  async changeStatus(
    _customerId: string,
    transferId: string,
    change: Parameters<TransferRepository['changeStatus']>[2],
  ) {
    const stored = this.stored(transferId);
    const { status, version } = stored.transfer;
    if (!change.from.includes(status)) throw new TransferStatusConflictError(transferId, status, change.from);
    if (change.expectedVersion !== undefined && change.expectedVersion !== version) {
      throw new VersionConflictError('Transfer', transferId, change.expectedVersion, version);
    }
    Object.assign(stored.transfer, change.set, { status: change.to, version: version + 1 });
    return {
      transfer: headerOf(stored),
      ...(stored.acceptanceTaskToken === undefined
        ? {}
        : { acceptanceTaskToken: stored.acceptanceTaskToken }),
    };
  }
  async storeAcceptanceToken(_customerId: string, transferId: string, token: string) {
    const stored = this.stored(transferId);
    if (stored.transfer.status !== 'Active') {
      throw new TransferStatusConflictError(transferId, stored.transfer.status, ['Active']);
    }
    stored.acceptanceTaskToken = token;
  }
  async getStatusAndAcceptanceToken(_customerId: string, transferId: string) {
    const stored = this.byId.get(transferId);
    if (!stored) return undefined;
    const { acceptanceTaskToken } = stored;
    return { status: stored.transfer.status, ...(acceptanceTaskToken ? { acceptanceTaskToken } : {}) };
  }
  async updateLineItem(
    _customerId: string,
    transferId: string,
    lineItemId: string,
    change: Parameters<TransferRepository['updateLineItem']>[3],
    condition: Parameters<TransferRepository['updateLineItem']>[4] = {},
  ) {
    const stored = this.stored(transferId);
    const item =
      condition.lineItemSet === undefined || condition.lineItemSet === stored.marks.lineItemSet
        ? stored.transfer.lineItems.find((candidate) => candidate.id === lineItemId)
        : undefined;
    if (!item) throw new NotFoundError('TransferLineItem', `${transferId}/${lineItemId}`);
    const allowed = condition.statusIn
      ? condition.statusIn.includes(item.status)
      : item.status !== 'Complete';
    if (!allowed) throw new LineItemStatusConflictError(transferId, lineItemId, item.status);
    if (change.status !== undefined) item.status = change.status;
    if (change.incrementAttempts) item.attempts += 1;
    if (change.completedTime !== undefined) item.completedTime = change.completedTime;
    if (change.transferError === null) delete item.transferError;
    else if (change.transferError !== undefined) item.transferError = copy(change.transferError);
    return copy(item);
  }
  async recordNotificationError(
    _customerId: string,
    transferId: string,
    error: Parameters<TransferRepository['recordNotificationError']>[2],
  ) {
    const { transfer } = this.stored(transferId);
    transfer.notificationErrors = [...(transfer.notificationErrors ?? []), copy(error)];
  }
  async markCreationNotified(_customerId: string, transferId: string) {
    this.stored(transferId).marks.creationNotified = true;
  }
}

class InMemoryAudit implements AuditRepository {
  readonly records = new Map<string, AuditRecord>();

  async append(record: AuditRecord) {
    if (this.records.has(record.id)) return { appended: false };
    this.records.set(record.id, copy(record));
    return { appended: true };
  }
  async list(partnerTenantId: string, request: AuditListRequest = {}) {
    const records = [...this.records.values()].filter(
      (record) =>
        record.partnerTenantId === partnerTenantId &&
        (request.transferId === undefined || record.transferId === request.transferId),
    );
    return page(records, request);
  }
}

export interface InMemoryStorage extends UseCaseStorage {
  subscriptions: InMemorySubscriptions;
  transfers: InMemoryTransfers;
  audit: InMemoryAudit;
}

export function inMemoryStorage(seed: {
  partners: readonly Partner[];
  relationships?: readonly Relationship[];
  subscriptions?: readonly Subscription[];
}): InMemoryStorage {
  const partners = new Map(seed.partners.map((p) => [p.tenantId, copy(p)]));
  const relationships = new Map(
    (seed.relationships ?? []).map((r) => [`${r.customerId}/${r.partnerTenantId}`, copy(r)]),
  );
  const subscriptions = new InMemorySubscriptions();
  for (const s of seed.subscriptions ?? []) subscriptions.byId.set(s.subscriptionId, copy(s));
  return {
    directory: directory(partners, relationships),
    subscriptions,
    transfers: new InMemoryTransfers(),
    audit: new InMemoryAudit(),
  };
}

/** A workflow that records what it was asked; a task token resumes once, like Step Functions. */
export class RecordingWorkflow implements TransferWorkflow {
  readonly started: string[] = [];
  readonly resumed: { token: string; as: 'accept' | 'cancel' | 'end-wait' }[] = [];
  private readonly used = new Set<string>();
  /** Throws once on the next call of this kind: a crash between two writes of a use case. */
  failNext?: 'start' | 'accept' | 'cancel' | 'end-wait';

  private crashIf(kind: 'start' | 'accept' | 'cancel' | 'end-wait') {
    if (this.failNext !== kind) return;
    this.failNext = undefined;
    throw new Error(`simulated crash at ${kind}`);
  }
  async start({ transferId }: { transferId: string }) {
    this.crashIf('start');
    this.started.push(transferId);
  }
  private resume(token: string, as: 'accept' | 'cancel' | 'end-wait'): ResumeOutcome {
    this.crashIf(as);
    if (this.used.has(token)) return 'token-no-longer-valid';
    this.used.add(token);
    this.resumed.push({ token, as });
    return 'resumed';
  }
  async accept(token: string) {
    return this.resume(token, 'accept');
  }
  async endAcceptanceWait(token: string) {
    return this.resume(token, 'end-wait');
  }
  async cancel(token: string) {
    return this.resume(token, 'cancel');
  }
}
