// The transfer outbox: every transfer change that is an event records it in the very conditional write that makes
// the change, so the change and its event exist together or not at all. On the header: `eventCount` (the last
// sequence number) and `pendingEvents` (the newest events, not yet published), plus the sparse GSI5 keys the relay
// finds them by. A line item's failure is written on the line item (its own single write); the relay moves it onto
// the header, once (guarded by `relayedItemEvents`), where it gets its sequence number.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '#application/storage-errors.ts';
import type { OutboxEntry, PendingTransferEvents, TransferOutbox } from '#application/webhook-ports.ts';
import type { LineItemStatus, Transfer, TransferStatus } from '#domain/model.ts';
import { eventTypeForStatus, type RecordedTransferEvent } from '#domain/webhooks/transfer-events.ts';
import {
  callDynamoDb,
  conditionalUpdate,
  getItem,
  queryAll,
  type StoredItem,
} from './dynamodb-operations.ts';
import { outboxKeys, transferKeys } from './table-keys.ts';
import { mergeUpdates, type UpdateSpec } from './update-expression.ts';

/** Outbox bookkeeping on stored items; never part of a Transfer or TransferLineItem. */
export const OUTBOX_HEADER_ATTRIBUTES = ['eventCount', 'pendingEvents', 'relayedItemEvents'] as const;
export const OUTBOX_LINE_ITEM_ATTRIBUTES = ['pendingItemEvent'] as const;

/** The event's part of a header's update (merged into the change's own: one conditional write for both). */
function outboxAppend(transferId: string, event: RecordedTransferEvent): UpdateSpec {
  return {
    increment: { eventCount: 1 },
    append: { pendingEvents: [event] },
    set: { GSI5PK: outboxKeys.pendingPartition },
    setIfMissing: { GSI5SK: outboxKeys.pendingSortKey(event.occurredTime, transferId) },
  };
}

const nowIso = () => new Date().toISOString();

/** The attributes a new header starts its outbox with: its first event, `transfer.created`. */
export function outboxOfNewTransfer(transfer: Pick<Transfer, 'id' | 'createdTime'>): StoredItem {
  return {
    eventCount: 1,
    pendingEvents: [{ type: 'transfer.created', occurredTime: transfer.createdTime }],
    GSI5PK: outboxKeys.pendingPartition,
    GSI5SK: outboxKeys.pendingSortKey(transfer.createdTime, transfer.id),
  };
}

/** A header update that replaces the line items, with its `transfer.updated` event. */
export function withLineItemsEvent(
  update: UpdateSpec,
  transferId: string,
  at: { lastModifiedTime?: string } | undefined,
): UpdateSpec {
  const event = { type: 'transfer.updated', occurredTime: at?.lastModifiedTime ?? nowIso() } as const;
  return mergeUpdates(update, outboxAppend(transferId, event));
}

/** A header's status change, with the event it is (if any: moving started is none). */
export function withStatusEvent(
  update: UpdateSpec,
  transferId: string,
  change: { to: TransferStatus; set?: { lastModifiedTime?: string; completedTime?: string } },
): UpdateSpec {
  const type = eventTypeForStatus(change.to);
  if (!type) return update;
  const occurredTime = change.set?.lastModifiedTime ?? change.set?.completedTime ?? nowIso();
  return mergeUpdates(update, outboxAppend(transferId, { type, occurredTime }));
}

/**
 * A line item update, with `transfer.lineItem.failed` parked on the item when it fails for good: the header is not
 * part of this single-item write, so the relay moves the event there later and gives it its sequence number.
 */
export function withLineItemEvent(
  update: UpdateSpec,
  transferId: string,
  lineItemId: string,
  change: { status?: LineItemStatus; completedTime?: string },
): UpdateSpec {
  if (change.status !== 'Failed') return update;
  const occurredTime = change.completedTime ?? nowIso();
  return mergeUpdates(update, {
    set: {
      pendingItemEvent: { type: 'transfer.lineItem.failed', occurredTime },
      GSI5PK: outboxKeys.pendingPartition,
      GSI5SK: outboxKeys.pendingSortKey(occurredTime, transferId, lineItemId),
    },
  });
}

export class DynamoDbTransferOutbox implements TransferOutbox {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The oldest items holding unpublished events (at most `limit`). */
  async listPending(limit = 100): Promise<OutboxEntry[]> {
    const output = await callDynamoDb('Query', () =>
      this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI5',
          KeyConditionExpression: 'GSI5PK = :pending',
          ExpressionAttributeValues: { ':pending': outboxKeys.pendingPartition },
          Limit: limit,
        }),
      ),
    );
    return (output.Items ?? []).map((item): OutboxEntry => {
      const customerId = String(item.customerTenantId ?? String(item.PK).replace(/^CUSTOMER#/, ''));
      if (item.entityType === 'Transfer') return { kind: 'header', customerId, transferId: String(item.id) };
      return {
        kind: 'lineItem',
        key: { PK: String(item.PK), SK: String(item.SK) },
        customerId,
        transferId: String(item.transferId),
        lineItemId: String(item.id),
      };
    });
  }

  async readPending(customerId: string, transferId: string): Promise<PendingTransferEvents | undefined> {
    const output = await callDynamoDb('GetItem', () =>
      this.documentClient.send(
        new GetCommand({
          TableName: this.tableName,
          Key: transferKeys.header(customerId, transferId),
          ProjectionExpression: 'eventCount, pendingEvents',
          ConsistentRead: true,
        }),
      ),
    );
    const item = output.Item;
    if (!item) return undefined;
    const eventCount = Number(item.eventCount ?? 0);
    const pending = (item.pendingEvents ?? []) as RecordedTransferEvent[];
    const first = eventCount - pending.length + 1;
    return {
      customerId,
      transferId,
      eventCount,
      events: pending.map((event, index) => ({ ...event, sequence: first + index })),
    };
  }

  /** Forgets the published events; false when more were recorded meanwhile (read again and publish those too). */
  async markPublished(customerId: string, transferId: string, eventCount: number): Promise<boolean> {
    const updated = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      UpdateExpression: 'REMOVE pendingEvents, GSI5PK, GSI5SK',
      ConditionExpression:
        'attribute_exists(PK) AND (eventCount = :seen OR attribute_not_exists(eventCount))',
      ExpressionAttributeValues: { ':seen': eventCount },
    });
    return updated !== undefined;
  }

  /** Line items of a transfer with a parked event (read only when a completion is about to be published). */
  async parkedLineItems(
    customerId: string,
    transferId: string,
  ): Promise<Extract<OutboxEntry, { kind: 'lineItem' }>[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: 'attribute_exists(pendingItemEvent)',
      ExpressionAttributeValues: {
        ':pk': transferKeys.header(customerId, transferId).PK,
        ':prefix': transferKeys.lineItemPrefix(transferId),
      },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      kind: 'lineItem',
      key: { PK: String(item.PK), SK: String(item.SK) },
      customerId,
      transferId,
      lineItemId: String(item.id),
    }));
  }

  /**
   * Moves a line item's parked event onto its transfer's header, at most once (`relayedItemEvents` remembers it), and
   * before a pending completion so that the completion stays the transfer's last event; then clears the line item.
   */
  async moveLineItemEvent(entry: Extract<OutboxEntry, { kind: 'lineItem' }>): Promise<void> {
    const output = await callDynamoDb('GetItem', () =>
      this.documentClient.send(
        new GetCommand({ TableName: this.tableName, Key: entry.key, ConsistentRead: true }),
      ),
    );
    const event = output.Item?.pendingItemEvent as RecordedTransferEvent | undefined;
    if (event) await this.appendLineItemEvent(entry, event);
    await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: entry.key,
      UpdateExpression: 'REMOVE pendingItemEvent, GSI5PK, GSI5SK',
      ConditionExpression: 'attribute_exists(PK)',
    });
  }

  private async appendLineItemEvent(
    entry: Extract<OutboxEntry, { kind: 'lineItem' }>,
    event: RecordedTransferEvent,
  ) {
    const relayKey = `${entry.key.SK}#${event.type}`;
    const headerKey = transferKeys.header(entry.customerId, entry.transferId);
    for (let attempt = 0; attempt < MAX_MOVE_ATTEMPTS; attempt++) {
      const header = await getItem(this.documentClient, this.tableName, headerKey);
      if (!header) return;
      const relayed = header.relayedItemEvents as Set<string> | undefined;
      if (relayed?.has(relayKey)) return;
      const pending = (header.pendingEvents ?? []) as RecordedTransferEvent[];
      const completion = pending.findIndex((candidate) => candidate.type === 'transfer.completed');
      const reordered =
        completion < 0
          ? [...pending, event]
          : [...pending.slice(0, completion), event, ...pending.slice(completion)];
      const seen = header.eventCount as number | undefined;
      const moved = await conditionalUpdate(this.documentClient, {
        TableName: this.tableName,
        Key: headerKey,
        UpdateExpression:
          'SET pendingEvents = :pending, eventCount = :count, GSI5PK = :partition, GSI5SK = if_not_exists(GSI5SK, :sortKey) ADD relayedItemEvents :relayKeySet',
        ConditionExpression: seen === undefined ? 'attribute_not_exists(eventCount)' : 'eventCount = :seen',
        ExpressionAttributeValues: {
          ':pending': reordered,
          ':count': (seen ?? 0) + 1,
          ':partition': outboxKeys.pendingPartition,
          ':sortKey': outboxKeys.pendingSortKey(event.occurredTime, entry.transferId),
          ':relayKeySet': new Set([relayKey]),
          ...(seen === undefined ? {} : { ':seen': seen }),
        },
      });
      if (moved) return;
    }
    throw new StorageUnavailableError(
      `Transfer ${entry.transferId} kept changing while its events were relayed`,
    );
  }
}

const MAX_MOVE_ATTEMPTS = 5;
