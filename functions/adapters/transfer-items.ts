// How a transfer is laid out in the table: the header item (with the index keys and the attributes only storage
// knows about) and one item per line item, and the mapping back to domain objects.
import type { NotificationError, TransferHeader, TransferStatusChangeFields } from '#application/ports.ts';
import { InvalidKeyError } from '#application/storage-errors.ts';
import { isTerminal } from '#domain/lifecycle.ts';
import type { Transfer, TransferLineItem } from '#domain/model.ts';
import { type StoredItem, withoutStorageAttributes } from './dynamodb-operations.ts';
import { timeOrderedSortKey, transferKeys } from './table-keys.ts';
import { OUTBOX_HEADER_ATTRIBUTES, OUTBOX_LINE_ITEM_ATTRIBUTES } from './transfer-outbox.ts';

/** String set on the header: one mark per PATCH that may hold claims outside the line items (set-line-items.ts). */
export const CLAIMS_IN_FLIGHT_ATTRIBUTE = 'claimsInFlight';

/** Header attributes that only storage knows about. */
const HEADER_STORAGE_ATTRIBUTES = [
  'lineItemsRevision',
  'acceptanceTaskToken',
  'notificationErrorsByKey',
  'creationNotified',
  'workflowRun',
  'workflowRunStartedAt',
  CLAIMS_IN_FLIGHT_ATTRIBUTE,
  ...OUTBOX_HEADER_ATTRIBUTES,
] as const;
const LINE_ITEM_STORAGE_ATTRIBUTES = [
  'transferId',
  'ordinal',
  'revision',
  ...OUTBOX_LINE_ITEM_ATTRIBUTES,
] as const;

/** The header fields a status change may set (besides the status and the version). */
export const STATUS_CHANGE_FIELDS = [
  'lastModifiedTime',
  'lastModifiedUser',
  'acceptedTime',
  'completedTime',
  'expirationTime',
] as const satisfies readonly (keyof TransferStatusChangeFields)[];

type StoredNotificationErrors = Record<string, NotificationError>;

/** One entry per (event, recipient): a repeated failure replaces the description instead of adding a line. */
export function notificationErrorKey(event: string, recipient: string): string {
  return `${event}#${recipient.trim().toLowerCase()}`;
}

/** The header item of a new transfer: its line items are written under revision `transfer.version`. */
export function newHeaderItem(transfer: Transfer): StoredItem {
  const { lineItems, notificationErrors, ...header } = transfer;
  const sortKey = timeOrderedSortKey(transfer.createdTime, transfer.id);
  return {
    ...header,
    ...transferKeys.header(transfer.customerTenantId, transfer.id),
    GSI1PK: transferKeys.outboxPartition(transfer.targetPartnerTenantId),
    GSI1SK: sortKey,
    GSI2PK: transferKeys.inboxPartition(transfer.sourcePartnerTenantId),
    GSI2SK: sortKey,
    GSI3PK: transferKeys.ofCustomerPartition(transfer.customerTenantId),
    GSI3SK: sortKey,
    ...(isTerminal(transfer.status) ? {} : { GSI4PK: transferKeys.openPartition(transfer.status) }),
    GSI4SK: sortKey,
    entityType: 'Transfer',
    lineItemCount: lineItems.length,
    lineItemsRevision: transfer.version,
    ...(notificationErrors && notificationErrors.length > 0
      ? {
          notificationErrorsByKey: Object.fromEntries(
            notificationErrors.map((error) => [notificationErrorKey(error.event, error.recipient), error]),
          ),
        }
      : {}),
  };
}

/** A stored header as a domain header: storage attributes and the workflow's marks stripped. */
export function toHeader(item: StoredItem): TransferHeader {
  const header = withoutStorageAttributes(item, HEADER_STORAGE_ATTRIBUTES) as unknown as TransferHeader;
  const errors = item.notificationErrorsByKey as StoredNotificationErrors | undefined;
  if (errors && Object.keys(errors).length > 0) {
    header.notificationErrors = Object.keys(errors)
      .sort()
      .map((key) => errors[key] as NotificationError);
  }
  return header;
}

/**
 * Whether a stored header still names claims in flight. DynamoDB removes a string set left empty, so any value
 * counts (also one that is not a set: when in doubt, the close step searches).
 */
export function hasClaimsInFlight(item: StoredItem): boolean {
  const marks = item[CLAIMS_IN_FLIGHT_ATTRIBUTE];
  return marks !== undefined && !(marks instanceof Set && marks.size === 0);
}

/** The stored form of a line item of revision `revision`, at position `ordinal` in the transfer. */
export function lineItemItem(
  customerId: string,
  transferId: string,
  lineItem: TransferLineItem,
  revision: number,
  ordinal: number,
): StoredItem {
  return {
    ...lineItem,
    ...transferKeys.lineItem(customerId, transferId, revision, lineItem.id),
    entityType: 'TransferLineItem',
    transferId,
    ordinal,
    revision,
  };
}

export function toLineItem(item: StoredItem): TransferLineItem {
  return withoutStorageAttributes(item, LINE_ITEM_STORAGE_ATTRIBUTES) as unknown as TransferLineItem;
}

export function assertUniqueLineItemIds(lineItems: readonly TransferLineItem[]): void {
  const ids = new Set<string>();
  for (const lineItem of lineItems) {
    if (ids.has(lineItem.id)) throw new InvalidKeyError('lineItem.id', `"${lineItem.id}" appears twice`);
    ids.add(lineItem.id);
  }
}

/** `#status IN (:s0, :s1...)`, with its values added to `values`. */
export function statusInExpression(
  statuses: readonly string[],
  values: StoredItem,
  prefix: string,
  attribute = '#status',
): string {
  const placeholders = statuses.map((status, index) => {
    values[`:${prefix}${index}`] = status;
    return `:${prefix}${index}`;
  });
  return `${attribute} IN (${placeholders.join(', ')})`;
}
