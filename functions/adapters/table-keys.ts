// How every entity is keyed in the single table (see ./transfer-table.md). The only place that spells key strings.

import { createHash } from 'node:crypto';
import { InvalidKeyError } from '#application/storage-errors.ts';

export interface PrimaryKey {
  PK: string;
  SK: string;
}

/** Attribute names that make up the primary key, and each index's extra key attributes. */
export const PRIMARY_KEY_NAMES = ['PK', 'SK'] as const;
export const INDEX_KEY_NAMES = {
  GSI1: ['GSI1PK', 'GSI1SK'],
  GSI2: ['GSI2PK', 'GSI2SK'],
  GSI3: ['GSI3PK', 'GSI3SK'],
  GSI4: ['GSI4PK', 'GSI4SK'],
  GSI5: ['GSI5PK', 'GSI5SK'],
} as const;

/** Attributes that exist only for the table's sake; stripped before an item becomes a domain object. */
export const STORAGE_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  'GSI5PK',
  'GSI5SK',
  'entityType',
] as const;

const MAX_KEY_PART_LENGTH = 256;

/** An identifier used inside a key: non-empty, at most 256 characters, no `#` (the separator), no control characters. */
export function keyPart(field: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidKeyError(field, 'must not be empty');
  if (value.length > MAX_KEY_PART_LENGTH) {
    throw new InvalidKeyError(field, `must be at most ${MAX_KEY_PART_LENGTH} characters`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[#\u0000-\u001f\u007f]/.test(value)) {
    throw new InvalidKeyError(field, 'must not contain "#" or control characters');
  }
  return value;
}

function revisionPart(revision: number): string {
  if (!Number.isSafeInteger(revision) || revision < 0)
    throw new InvalidKeyError('revision', 'must be a whole number');
  return String(revision);
}

/** A time (ISO 8601) and an id: the sort key of everything listed in time order. */
export function timeOrderedSortKey(time: string, id: string): string {
  return `${time}#${id}`;
}

export const partnerKeys = {
  profile: (tenantId: string): PrimaryKey => ({
    PK: `PARTNER#${keyPart('tenantId', tenantId)}`,
    SK: 'PROFILE',
  }),
  /** GSI1: every partner (the sandbox is small; a real directory would not list all partners). */
  allPartnersPartition: 'PARTNERS',
  allPartnersSortKey: (tenantId: string) => `PARTNER#${keyPart('tenantId', tenantId)}`,
};

export const userKeys = {
  user: (tenantId: string, userId: string): PrimaryKey => ({
    PK: `PARTNER#${keyPart('tenantId', tenantId)}`,
    SK: `USER#${keyPart('userId', userId)}`,
  }),
  usersOfPartnerPrefix: 'USER#',
  /** GSI1: a user by id alone. */
  byIdPartition: (userId: string) => `USER#${keyPart('userId', userId)}`,
  byIdSortKey: 'USER',
};

export const customerKeys = {
  profile: (customerId: string): PrimaryKey => ({
    PK: customerPartition(customerId),
    SK: 'PROFILE',
  }),
  allCustomersPartition: 'CUSTOMERS',
  allCustomersSortKey: (customerId: string) => `CUSTOMER#${keyPart('customerId', customerId)}`,
};

export function customerPartition(customerId: string): string {
  return `CUSTOMER#${keyPart('customerId', customerId)}`;
}

export const relationshipKeys = {
  relationship: (customerId: string, partnerTenantId: string): PrimaryKey => ({
    PK: customerPartition(customerId),
    SK: `RELATIONSHIP#${keyPart('partnerTenantId', partnerTenantId)}`,
  }),
  ofCustomerPrefix: 'RELATIONSHIP#',
  /** GSI1: the customers a partner has a relationship with. */
  ofPartnerPartition: (partnerTenantId: string) =>
    `RELATIONSHIPS#${keyPart('partnerTenantId', partnerTenantId)}`,
  ofPartnerSortKey: (customerId: string) => `CUSTOMER#${keyPart('customerId', customerId)}`,
};

export const subscriptionKeys = {
  subscription: (customerId: string, subscriptionId: string): PrimaryKey => ({
    PK: customerPartition(customerId),
    SK: `SUBSCRIPTION#${keyPart('subscriptionId', subscriptionId)}`,
  }),
  ofCustomerPrefix: 'SUBSCRIPTION#',
  /** GSI2: the subscriptions a partner bills today (moves with the billing owner). */
  billedByPartition: (tenantId: string) => `BILLING#${keyPart('billingPartnerTenantId', tenantId)}`,
  billedBySortKey: (customerId: string, subscriptionId: string) =>
    `CUSTOMER#${keyPart('customerId', customerId)}#SUBSCRIPTION#${keyPart('subscriptionId', subscriptionId)}`,
};

export const transferKeys = {
  header: (customerId: string, transferId: string): PrimaryKey => ({
    PK: customerPartition(customerId),
    SK: `TRANSFER#${keyPart('transferId', transferId)}`,
  }),
  /** Header and line items share this prefix: one Query reads the whole transfer. */
  wholeTransferPrefix: (transferId: string) => `TRANSFER#${keyPart('transferId', transferId)}`,
  lineItemPrefix: (transferId: string) => `TRANSFER#${keyPart('transferId', transferId)}#ITEM#`,
  /** Line items are keyed by the revision that wrote them, so writers of different revisions never overwrite each other. */
  lineItem: (customerId: string, transferId: string, revision: number, lineItemId: string): PrimaryKey => ({
    PK: customerPartition(customerId),
    SK: `TRANSFER#${keyPart('transferId', transferId)}#ITEM#${revisionPart(revision)}#${keyPart('lineItemId', lineItemId)}`,
  }),
  /** GSI1: the target partner's outgoing transfers (the ones it created). */
  outboxPartition: (targetTenantId: string) => `OUTBOX#${keyPart('targetPartnerTenantId', targetTenantId)}`,
  /** GSI2: the source partner's incoming transfers (the ones waiting for it). */
  inboxPartition: (sourceTenantId: string) => `INBOX#${keyPart('sourcePartnerTenantId', sourceTenantId)}`,
  /** GSI3: a customer's transfers. */
  ofCustomerPartition: (customerId: string) => `CUSTOMER#${keyPart('customerId', customerId)}#TRANSFERS`,
  /** GSI4 (sparse): the transfers in one open status, which the reconciler checks; terminal ones have no GSI4PK. */
  openPartition: (status: string) => `OPEN#${keyPart('status', status)}`,
};

export const auditKeys = {
  record: (partnerTenantId: string, recordId: string): PrimaryKey => ({
    PK: `AUDIT#${keyPart('partnerTenantId', partnerTenantId)}`,
    SK: `RECORD#${keyPart('auditRecordId', recordId)}`,
  }),
  /** GSI1: a partner's audit log in time order. */
  ofPartnerPartition: (partnerTenantId: string) => `AUDIT#${keyPart('partnerTenantId', partnerTenantId)}`,
  /** GSI2: a partner's audit log for one transfer, in time order. */
  ofPartnerTransferPartition: (partnerTenantId: string, transferId: string) =>
    `AUDIT#${keyPart('partnerTenantId', partnerTenantId)}#TRANSFER#${keyPart('transferId', transferId)}`,
};

/** The user id (a token's `sub`, any characters) appears only as its SHA-256, which fits a key part. */
function userDigest(userId: string): string {
  if (typeof userId !== 'string' || userId.length === 0)
    throw new InvalidKeyError('userId', 'must not be empty');
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}

export const idempotencyKeys = {
  request: (tenantId: string, userId: string, requestId: string): PrimaryKey => ({
    PK: `IDEMPOTENCY#${keyPart('tenantId', tenantId)}#${keyPart('requestId', requestId)}`,
    SK: `USER#${userDigest(userId)}`,
  }),
};

export const emailMarkerKeys = {
  marker: (transferId: string, event: string, recipient: string): PrimaryKey => ({
    PK: `EMAIL#${keyPart('transferId', transferId)}`,
    SK: `${keyPart('event', event)}#${keyPart('recipient', recipient.trim().toLowerCase())}`,
  }),
};

export const webhookKeys = {
  /** All of a partner's webhook endpoints in one item (at most 10), so the limit is one conditional write. */
  endpoints: (tenantId: string): PrimaryKey => ({
    PK: `PARTNER#${keyPart('tenantId', tenantId)}`,
    SK: 'WEBHOOKS',
  }),
  delivery: (endpointId: string, deliveryId: string): PrimaryKey => ({
    PK: `WEBHOOK#${keyPart('endpointId', endpointId)}`,
    SK: `DELIVERY#${keyPart('deliveryId', deliveryId)}`,
  }),
  /** GSI1: an endpoint's deliveries, newest first. */
  deliveriesPartition: (endpointId: string) => `WEBHOOK#${keyPart('endpointId', endpointId)}#DELIVERIES`,
};

export const outboxKeys = {
  /**
   * GSI5: every item that holds transfer events not yet published (sparse: the keys go once they are). One partition:
   * it holds seconds' worth of events; transfer-table.md says when to shard it.
   */
  pendingPartition: 'EVENTS#PENDING',
  pendingSortKey: (occurredTime: string, transferId: string, lineItemId?: string) =>
    `${occurredTime}#${keyPart('transferId', transferId)}${lineItemId === undefined ? '' : `#${keyPart('lineItemId', lineItemId)}`}`,
};
