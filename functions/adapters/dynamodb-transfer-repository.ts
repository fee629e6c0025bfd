// Transfers: one header item plus one item per line item, all in the customer's partition, so one Query reads a whole
// transfer and the header never grows with the number of line items (1,000 items never hit the 400 KB item limit).
//
// Line items are replaced without transactions by revision: the header names the current revision
// (`lineItemsRevision`, the version that wrote them) and how many there are; each line item's key carries the revision
// that wrote it. A writer first wins the header (conditional on its version), then batch-writes its items under its
// own revision (never overwriting another writer's), then deletes older revisions. A reader shows only the header's
// revision, so a crash half-way shows a subset (the retry completes it), never a mix of old and new sets.

import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CustomerTransferListRequest,
  LineItemChange,
  LineItemCondition,
  NotificationError,
  Page,
  TransferDirection,
  TransferHeader,
  TransferListRequest,
  TransferRepository,
  TransferStatusChange,
  TransferStatusChangeFields,
  TransferStatusChangeResult,
  TransferWorkflowMarks,
} from '#application/ports.ts';
import {
  AlreadyExistsError,
  ConditionFailedError,
  InvalidKeyError,
  LineItemStatusConflictError,
  NotFoundError,
  TransferStatusConflictError,
  VersionConflictError,
} from '#application/storage-errors.ts';
import { isTerminal } from '#domain/lifecycle.ts';
import type { Transfer, TransferLineItem, TransferStatus } from '#domain/model.ts';
import {
  batchWrite,
  callDynamoDb,
  conditionalPut,
  conditionalUpdate,
  getItem,
  type QueryInput,
  queryAll,
  queryPage,
  type StoredItem,
  withoutStorageAttributes,
} from './dynamodb-operations.ts';
import { INDEX_KEY_NAMES, PRIMARY_KEY_NAMES, timeOrderedSortKey, transferKeys } from './table-keys.ts';

/** Header attributes that only storage knows about. */
const HEADER_STORAGE_ATTRIBUTES = [
  'lineItemsRevision',
  'acceptanceTaskToken',
  'notificationErrorsByKey',
  'creationNotified',
  'workflowRun',
  'workflowRunStartedAt',
] as const;
const LINE_ITEM_STORAGE_ATTRIBUTES = ['transferId', 'ordinal', 'revision'] as const;

const STATUS_CHANGE_FIELDS = [
  'lastModifiedTime',
  'lastModifiedUser',
  'acceptedTime',
  'completedTime',
  'expirationTime',
] as const satisfies readonly (keyof TransferStatusChangeFields)[];

export interface TransferRepositoryOptions {
  /** Query page size when reading a transfer (default: DynamoDB's 1 MB pages). Tests force small pages. */
  lineItemQueryPageSize?: number;
}

type StoredNotificationErrors = Record<string, NotificationError>;

function notificationErrorKey(event: string, recipient: string): string {
  return `${event}#${recipient.trim().toLowerCase()}`;
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

function toLineItem(item: StoredItem): TransferLineItem {
  return withoutStorageAttributes(item, LINE_ITEM_STORAGE_ATTRIBUTES) as unknown as TransferLineItem;
}

function assertUniqueLineItemIds(lineItems: readonly TransferLineItem[]): void {
  const ids = new Set<string>();
  for (const lineItem of lineItems) {
    if (ids.has(lineItem.id)) throw new InvalidKeyError('lineItem.id', `"${lineItem.id}" appears twice`);
    ids.add(lineItem.id);
  }
}

function statusList(status: TransferListRequest['status']): readonly TransferStatus[] {
  if (status === undefined) return [];
  return typeof status === 'string' ? [status] : status;
}

/** `#status IN (:s0, :s1...)`, with its values added to `values`. */
function statusInExpression(
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

export class DynamoDbTransferRepository implements TransferRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: TransferRepositoryOptions = {},
  ) {}

  async create(transfer: Transfer): Promise<void> {
    assertUniqueLineItemIds(transfer.lineItems);
    const { lineItems, notificationErrors, ...header } = transfer;
    const sortKey = timeOrderedSortKey(transfer.createdTime, transfer.id);
    const item: StoredItem = {
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
    const created = await conditionalPut(this.documentClient, {
      TableName: this.tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    if (!created) {
      const existing = await getItem(
        this.documentClient,
        this.tableName,
        transferKeys.header(transfer.customerTenantId, transfer.id),
      );
      const isRetryOfThisCreation =
        existing !== undefined &&
        existing.createdTime === transfer.createdTime &&
        existing.version === transfer.version &&
        existing.lineItemsRevision === transfer.version &&
        existing.lineItemCount === lineItems.length;
      if (!isRetryOfThisCreation) throw new AlreadyExistsError('Transfer', transfer.id);
    }
    await this.writeLineItems(transfer.customerTenantId, transfer.id, lineItems, transfer.version);
  }

  async get(customerId: string, transferId: string): Promise<Transfer | undefined> {
    const headerSortKey = transferKeys.wholeTransferPrefix(transferId);
    const lineItemPrefix = transferKeys.lineItemPrefix(transferId);
    const items = await queryAll(
      this.documentClient,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': transferKeys.header(customerId, transferId).PK,
          ':prefix': headerSortKey,
        },
        ConsistentRead: true,
      },
      this.options.lineItemQueryPageSize,
    );
    const headerItem = items.find((item) => item.SK === headerSortKey);
    if (!headerItem) return undefined;
    const revision = headerItem.lineItemsRevision;
    const lineItems = items
      .filter(
        (item) =>
          typeof item.SK === 'string' && item.SK.startsWith(lineItemPrefix) && item.revision === revision,
      )
      .sort((left, right) => (left.ordinal as number) - (right.ordinal as number))
      .map(toLineItem);
    const { lineItemCount: _count, ...header } = toHeader(headerItem);
    return { ...header, lineItems };
  }

  listByCustomer(
    customerId: string,
    request: CustomerTransferListRequest = {},
  ): Promise<Page<TransferHeader>> {
    const partition = transferKeys.ofCustomerPartition(customerId);
    const values: StoredItem = { ':pk': partition };
    const filters: string[] = [];
    const statuses = statusList(request.status);
    if (statuses.length > 0) filters.push(statusInExpression(statuses, values, 'status'));
    if (request.visibleTo) {
      values[':tenant'] = request.visibleTo.tenantId;
      const parties = ['sourcePartnerTenantId = :tenant', 'targetPartnerTenantId = :tenant'];
      if (request.visibleTo.partnerId !== undefined) {
        values[':partnerId'] = request.visibleTo.partnerId;
        parties.push('partnerOnRecord = :partnerId');
      }
      filters.push(`(${parties.join(' OR ')})`);
    }
    return this.listIndex('GSI3', partition, values, filters, request);
  }

  listForPartner(
    tenantId: string,
    direction: TransferDirection,
    request: TransferListRequest = {},
  ): Promise<Page<TransferHeader>> {
    const indexName = direction === 'outgoing' ? 'GSI1' : 'GSI2';
    const partition =
      direction === 'outgoing'
        ? transferKeys.outboxPartition(tenantId)
        : transferKeys.inboxPartition(tenantId);
    const values: StoredItem = { ':pk': partition };
    const statuses = statusList(request.status);
    const filters = statuses.length > 0 ? [statusInExpression(statuses, values, 'status')] : [];
    return this.listIndex(indexName, partition, values, filters, request);
  }

  async replaceLineItems(
    customerId: string,
    transferId: string,
    lineItems: readonly TransferLineItem[],
    options: {
      expectedVersion: number;
      set?: Pick<TransferStatusChangeFields, 'lastModifiedTime' | 'lastModifiedUser'>;
    },
  ): Promise<number> {
    assertUniqueLineItemIds(lineItems);
    const newVersion = options.expectedVersion + 1;
    const values: StoredItem = {
      ':expected': options.expectedVersion,
      ':newVersion': newVersion,
      ':lineItemCount': lineItems.length,
    };
    const sets = [
      'version = :newVersion',
      'lineItemCount = :lineItemCount',
      'lineItemsRevision = :newVersion',
    ];
    for (const [field, value] of Object.entries(options.set ?? {})) {
      if (value === undefined) continue;
      sets.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
    await this.conditionalHeaderUpdate(customerId, transferId, options.expectedVersion, {
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeValues: values,
    });
    await this.writeLineItems(customerId, transferId, lineItems, newVersion);
    await this.deleteLineItemsOlderThan(customerId, transferId, newVersion);
    return newVersion;
  }

  async changeStatus(
    customerId: string,
    transferId: string,
    change: TransferStatusChange,
  ): Promise<TransferStatusChangeResult> {
    if (change.from.length === 0)
      throw new RangeError('changeStatus needs at least one status to change from');
    const names: Record<string, string> = { '#status': 'status' };
    const values: StoredItem = { ':to': change.to, ':one': 1 };
    const sets = ['#status = :to', 'version = version + :one'];
    // The open-transfers index (GSI4) follows the status: an open status names its partition, a terminal one leaves.
    const removes: string[] = isTerminal(change.to) ? ['GSI4PK'] : [];
    if (!isTerminal(change.to)) {
      sets.push('GSI4PK = :openPartition');
      values[':openPartition'] = transferKeys.openPartition(change.to);
    }
    for (const field of STATUS_CHANGE_FIELDS) {
      const value = change.set?.[field];
      if (value === undefined) continue;
      sets.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
    for (const field of change.remove ?? []) removes.push(field);
    let condition = `attribute_exists(PK) AND ${statusInExpression(change.from, values, 'from')}`;
    if (change.expectedVersion !== undefined) {
      condition += ' AND version = :expected';
      values[':expected'] = change.expectedVersion;
    }
    const changed = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    if (changed) {
      const item = changed.Attributes ?? {};
      const token = item.acceptanceTaskToken;
      return {
        transfer: toHeader(item),
        ...(typeof token === 'string' ? { acceptanceTaskToken: token } : {}),
      };
    }
    const current = await this.getHeaderItemOrThrow(customerId, transferId);
    const status = current.status as TransferStatus;
    if (!change.from.includes(status)) throw new TransferStatusConflictError(transferId, status, change.from);
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) {
      throw new VersionConflictError(
        'Transfer',
        transferId,
        change.expectedVersion,
        current.version as number,
      );
    }
    throw new ConditionFailedError(`Transfer ${transferId} changed during the status change; try again.`);
  }

  async storeAcceptanceToken(customerId: string, transferId: string, token: string): Promise<void> {
    const stored = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      UpdateExpression: 'SET acceptanceTaskToken = :token',
      ConditionExpression: 'attribute_exists(PK) AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':token': token, ':active': 'Active' },
    });
    if (stored) return;
    const current = await this.getHeaderItemOrThrow(customerId, transferId);
    throw new TransferStatusConflictError(transferId, current.status as TransferStatus, ['Active']);
  }

  async getStatusAndAcceptanceToken(
    customerId: string,
    transferId: string,
  ): Promise<{ status: TransferStatus; acceptanceTaskToken?: string } | undefined> {
    const output = await callDynamoDb('GetItem', () =>
      this.documentClient.send(
        new GetCommand({
          TableName: this.tableName,
          Key: transferKeys.header(customerId, transferId),
          ConsistentRead: true,
          ProjectionExpression: '#status, acceptanceTaskToken',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      ),
    );
    if (!output.Item) return undefined;
    const token = output.Item.acceptanceTaskToken;
    return {
      status: output.Item.status as TransferStatus,
      ...(typeof token === 'string' ? { acceptanceTaskToken: token } : {}),
    };
  }

  async updateLineItem(
    customerId: string,
    transferId: string,
    lineItemId: string,
    change: LineItemChange,
    condition: LineItemCondition = {},
  ): Promise<TransferLineItem> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: StoredItem = {};
    const sets: string[] = [];
    const removes: string[] = [];
    if (change.status !== undefined) {
      sets.push('#status = :newStatus');
      values[':newStatus'] = change.status;
    }
    if (change.incrementAttempts) {
      sets.push('attempts = if_not_exists(attempts, :zero) + :one');
      values[':zero'] = 0;
      values[':one'] = 1;
    }
    if (change.completedTime !== undefined) {
      sets.push('completedTime = :completedTime');
      values[':completedTime'] = change.completedTime;
    }
    if (change.transferError === null) removes.push('transferError');
    else if (change.transferError !== undefined) {
      sets.push('transferError = :transferError');
      values[':transferError'] = change.transferError;
    }
    if (sets.length === 0 && removes.length === 0) throw new RangeError('updateLineItem needs a change');
    let conditionExpression = 'attribute_exists(PK) AND ';
    if (condition.statusIn !== undefined) {
      if (condition.statusIn.length === 0) throw new RangeError('statusIn must not be empty');
      conditionExpression += statusInExpression(condition.statusIn, values, 'allowed');
    } else {
      conditionExpression += '#status <> :complete';
      values[':complete'] = 'Complete';
    }
    const key = transferKeys.lineItem(
      customerId,
      transferId,
      condition.lineItemsRevision ?? (await this.currentLineItemsRevision(customerId, transferId)),
      lineItemId,
    );
    const updated = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: key,
      UpdateExpression: [
        sets.length > 0 ? `SET ${sets.join(', ')}` : '',
        removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: conditionExpression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    if (updated) return toLineItem(updated.Attributes ?? {});
    const current = await getItem(this.documentClient, this.tableName, key);
    if (!current) throw new NotFoundError('TransferLineItem', `${transferId}/${lineItemId}`);
    throw new LineItemStatusConflictError(
      transferId,
      lineItemId,
      current.status as TransferLineItem['status'],
    );
  }

  async recordNotificationError(
    customerId: string,
    transferId: string,
    error: NotificationError,
  ): Promise<void> {
    const key = transferKeys.header(customerId, transferId);
    const errorKey = notificationErrorKey(error.event, error.recipient);
    const entry: NotificationError = {
      event: error.event,
      recipient: error.recipient,
      description: error.description,
    };
    // The map may not exist yet, and one expression cannot both create it and set a key inside it: two conditional
    // forms, retried once when a concurrent writer created the map in between.
    for (let attempt = 0; attempt < 3; attempt++) {
      const setInExistingMap = await conditionalUpdate(this.documentClient, {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET notificationErrorsByKey.#errorKey = :entry',
        ConditionExpression: 'attribute_exists(PK) AND attribute_exists(notificationErrorsByKey)',
        ExpressionAttributeNames: { '#errorKey': errorKey },
        ExpressionAttributeValues: { ':entry': entry },
      });
      if (setInExistingMap) return;
      const createdMap = await conditionalUpdate(this.documentClient, {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET notificationErrorsByKey = :errors',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(notificationErrorsByKey)',
        ExpressionAttributeValues: { ':errors': { [errorKey]: entry } },
      });
      if (createdMap) return;
      await this.getHeaderItemOrThrow(customerId, transferId);
    }
    throw new ConditionFailedError(`Transfer ${transferId}: the notification error could not be recorded.`);
  }

  async getHeader(
    customerId: string,
    transferId: string,
  ): Promise<(TransferHeader & TransferWorkflowMarks) | undefined> {
    const item = await getItem(
      this.documentClient,
      this.tableName,
      transferKeys.header(customerId, transferId),
    );
    if (!item) return undefined;
    return {
      ...toHeader(item),
      creationNotified: item.creationNotified === true,
      lineItemsRevision: item.lineItemsRevision as number,
      workflowRun: typeof item.workflowRun === 'number' ? item.workflowRun : 0,
    };
  }

  async markCreationNotified(customerId: string, transferId: string): Promise<void> {
    const marked = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      UpdateExpression: 'SET creationNotified = :true',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':true': true },
    });
    if (!marked) throw new NotFoundError('Transfer', transferId);
  }

  // -------------------------------------------------------------------------------------------------------------------

  private listIndex(
    indexName: 'GSI1' | 'GSI2' | 'GSI3' | 'GSI4',
    partition: string,
    values: StoredItem,
    filters: readonly string[],
    request: TransferListRequest,
  ): Promise<Page<TransferHeader>> {
    const [partitionKeyName, sortKeyName] = INDEX_KEY_NAMES[indexName];
    const input: QueryInput = {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: `${partitionKeyName} = :pk`,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(filters.some((filter) => filter.includes('#status'))
        ? { ExpressionAttributeNames: { '#status': 'status' } }
        : {}),
    };
    return queryPage(
      this.documentClient,
      input,
      request,
      {
        keyNames: [...PRIMARY_KEY_NAMES, partitionKeyName, sortKeyName],
        partitionKeyName,
        partitionKeyValue: partition,
      },
      toHeader,
    );
  }

  /** A header update conditional on the version; resolves the new header item. */
  private async conditionalHeaderUpdate(
    customerId: string,
    transferId: string,
    expectedVersion: number,
    expression: {
      UpdateExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: StoredItem;
    },
  ): Promise<StoredItem> {
    const updated = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      ...expression,
      ConditionExpression: 'attribute_exists(PK) AND version = :expected',
      ReturnValues: 'ALL_NEW',
    });
    if (updated) return updated.Attributes ?? {};
    const current = await this.getHeaderItemOrThrow(customerId, transferId);
    throw new VersionConflictError('Transfer', transferId, expectedVersion, current.version as number);
  }

  private async currentLineItemsRevision(customerId: string, transferId: string): Promise<number> {
    const header = await callDynamoDb('GetItem', () =>
      this.documentClient.send(
        new GetCommand({
          TableName: this.tableName,
          Key: transferKeys.header(customerId, transferId),
          ConsistentRead: true,
          ProjectionExpression: 'lineItemsRevision',
        }),
      ),
    );
    if (!header.Item) throw new NotFoundError('Transfer', transferId);
    return header.Item.lineItemsRevision as number;
  }

  private async getHeaderItemOrThrow(customerId: string, transferId: string): Promise<StoredItem> {
    const item = await getItem(
      this.documentClient,
      this.tableName,
      transferKeys.header(customerId, transferId),
    );
    if (!item) throw new NotFoundError('Transfer', transferId);
    return item;
  }

  private async writeLineItems(
    customerId: string,
    transferId: string,
    lineItems: readonly TransferLineItem[],
    revision: number,
  ): Promise<void> {
    await batchWrite(
      this.documentClient,
      this.tableName,
      lineItems.map((lineItem, ordinal) => ({
        PutRequest: {
          Item: {
            ...lineItem,
            ...transferKeys.lineItem(customerId, transferId, revision, lineItem.id),
            entityType: 'TransferLineItem',
            transferId,
            ordinal,
            revision,
          },
        },
      })),
    );
  }

  /** Older revisions are never written again by a newer writer, so deleting them needs no condition. */
  private async deleteLineItemsOlderThan(
    customerId: string,
    transferId: string,
    revision: number,
  ): Promise<void> {
    const stale = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: 'revision < :revision',
      ProjectionExpression: 'PK, SK',
      ExpressionAttributeValues: {
        ':pk': transferKeys.header(customerId, transferId).PK,
        ':prefix': transferKeys.lineItemPrefix(transferId),
        ':revision': revision,
      },
      ConsistentRead: true,
    });
    await batchWrite(
      this.documentClient,
      this.tableName,
      stale.map((key) => ({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } })),
    );
  }
}
