// Transfers: one header item plus one item per line item, all in the customer's partition, so one Query reads a whole
// transfer and the header never grows with the number of line items (1,000 items never hit the 400 KB item limit).
//
// Line items are replaced without transactions by revision: the header names the current revision
// (`lineItemsRevision`, the version that wrote them) and how many there are; each line item's key carries the revision
// that wrote it. A writer first wins the header (conditional on its version), then batch-writes its items under its
// own revision (never overwriting another writer's), then deletes older revisions. A reader shows only the header's
// revision, so a crash half-way shows a subset (the retry completes it), never a mix of old and new sets.
// Reads live in transfer-queries.ts, line item writes in transfer-line-item-store.ts, the item layout in
// transfer-items.ts; this class is the header's writes and the port that puts them together.
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
  NotFoundError,
  TransferStatusConflictError,
  VersionConflictError,
} from '#application/storage-errors.ts';
import { isTerminal } from '#domain/lifecycle.ts';
import type { Transfer, TransferLineItem, TransferStatus } from '#domain/model.ts';
import {
  callDynamoDb,
  conditionalPut,
  conditionalUpdate,
  getItem,
  type StoredItem,
} from './dynamodb-operations.ts';
import { transferKeys } from './table-keys.ts';
import {
  assertUniqueLineItemIds,
  CLAIMS_IN_FLIGHT_ATTRIBUTE,
  newHeaderItem,
  notificationErrorKey,
  STATUS_CHANGE_FIELDS,
  statusInExpression,
  toHeader,
} from './transfer-items.ts';
import { lineItemSetRef, TransferLineItemStore } from './transfer-line-item-store.ts';
import { outboxOfNewTransfer, withLineItemsEvent, withStatusEvent } from './transfer-outbox.ts';
import { TransferQueries, type TransferQueryOptions } from './transfer-queries.ts';
import { type UpdateSpec, updateParameters } from './update-expression.ts';

export type TransferRepositoryOptions = TransferQueryOptions;

export class DynamoDbTransferRepository implements TransferRepository {
  private readonly queries: TransferQueries;
  private readonly lineItems: TransferLineItemStore;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: TransferRepositoryOptions = {},
  ) {
    this.queries = new TransferQueries(documentClient, tableName, options);
    this.lineItems = new TransferLineItemStore(documentClient, tableName);
  }

  async create(transfer: Transfer): Promise<void> {
    assertUniqueLineItemIds(transfer.lineItems);
    const created = await conditionalPut(this.documentClient, {
      TableName: this.tableName,
      Item: { ...newHeaderItem(transfer), ...outboxOfNewTransfer(transfer) },
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
        existing.lineItemCount === transfer.lineItems.length;
      if (!isRetryOfThisCreation) throw new AlreadyExistsError('Transfer', transfer.id);
    }
    await this.lineItems.write(transfer.customerTenantId, transfer.id, transfer.lineItems, transfer.version);
  }

  get(customerId: string, transferId: string): Promise<Transfer | undefined> {
    return this.queries.get(customerId, transferId);
  }

  getWithClaimsInFlight(
    customerId: string,
    transferId: string,
  ): Promise<{ transfer: Transfer; claimsInFlight: boolean } | undefined> {
    return this.queries.getWithClaimsInFlight(customerId, transferId);
  }

  listByCustomer(customerId: string, request?: CustomerTransferListRequest): Promise<Page<TransferHeader>> {
    return this.queries.listByCustomer(customerId, request);
  }

  listForPartner(
    tenantId: string,
    direction: TransferDirection,
    request?: TransferListRequest,
  ): Promise<Page<TransferHeader>> {
    return this.queries.listForPartner(tenantId, direction, request);
  }

  async replaceLineItems(
    customerId: string,
    transferId: string,
    lineItems: readonly TransferLineItem[],
    options: {
      expectedVersion: number;
      set?: Pick<TransferStatusChangeFields, 'lastModifiedTime' | 'lastModifiedUser'>;
      claimsInFlight?: string;
    },
  ): Promise<number> {
    assertUniqueLineItemIds(lineItems);
    const newVersion = options.expectedVersion + 1;
    const update: UpdateSpec = {
      set: {
        ...options.set,
        version: newVersion,
        lineItemCount: lineItems.length,
        lineItemsRevision: newVersion,
      },
      // The PATCH's claims are now the line items this write names: its mark goes in the same write.
      ...(options.claimsInFlight === undefined
        ? {}
        : { deleteFromSet: { [CLAIMS_IN_FLIGHT_ATTRIBUTE]: [options.claimsInFlight] } }),
    };
    const withEvent = withLineItemsEvent(update, transferId, options.set);
    await this.conditionalHeaderUpdate(customerId, transferId, options.expectedVersion, withEvent);
    await this.lineItems.write(customerId, transferId, lineItems, newVersion);
    await this.lineItems.deleteOlderThan(customerId, transferId, newVersion);
    return newVersion;
  }

  async changeStatus(
    customerId: string,
    transferId: string,
    change: TransferStatusChange,
  ): Promise<TransferStatusChangeResult> {
    if (change.from.length === 0)
      throw new RangeError('changeStatus needs at least one status to change from');
    const values: StoredItem = {};
    let condition = `attribute_exists(PK) AND ${statusInExpression(change.from, values, 'from')}`;
    if (change.expectedVersion !== undefined) {
      condition += ' AND version = :expected';
      values[':expected'] = change.expectedVersion;
    }
    const set: Record<string, unknown> = { status: change.to };
    for (const field of STATUS_CHANGE_FIELDS) set[field] = change.set?.[field];
    // The open-transfers index (GSI4) follows the status: an open status names its partition, a terminal one leaves.
    const remove: string[] = [...(change.remove ?? [])];
    if (isTerminal(change.to)) remove.push('GSI4PK');
    else set.GSI4PK = transferKeys.openPartition(change.to);
    const changed = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      ...updateParameters(withStatusEvent({ set, increment: { version: 1 }, remove }, transferId, change), {
        expression: condition,
        names: { '#status': 'status' },
        values,
      }),
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

  async markClaimsInFlight(customerId: string, transferId: string, mark: string): Promise<void> {
    const marked = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      ...updateParameters(
        { addToSet: { [CLAIMS_IN_FLIGHT_ATTRIBUTE]: [mark] } },
        {
          expression: 'attribute_exists(PK) AND #status = :active',
          names: { '#status': 'status' },
          values: { ':active': 'Active' },
        },
      ),
    });
    if (marked) return;
    const current = await this.getHeaderItemOrThrow(customerId, transferId);
    throw new TransferStatusConflictError(transferId, current.status as TransferStatus, ['Active']);
  }

  async clearClaimsInFlight(customerId: string, transferId: string, mark: string): Promise<void> {
    // Conditional only so that an update never creates a header that is not there.
    await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      ...updateParameters(
        { deleteFromSet: { [CLAIMS_IN_FLIGHT_ATTRIBUTE]: [mark] } },
        { expression: 'attribute_exists(PK)' },
      ),
    });
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

  updateLineItem(
    customerId: string,
    transferId: string,
    lineItemId: string,
    change: LineItemChange,
    condition?: LineItemCondition,
  ): Promise<TransferLineItem> {
    return this.lineItems.update(customerId, transferId, lineItemId, change, condition);
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
      lineItemSet: lineItemSetRef(item.lineItemsRevision as number),
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

  /** A header update conditional on the version; resolves the new header item. */
  private async conditionalHeaderUpdate(
    customerId: string,
    transferId: string,
    expectedVersion: number,
    update: UpdateSpec,
  ): Promise<StoredItem> {
    const updated = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      ...updateParameters(update, {
        expression: 'attribute_exists(PK) AND version = :expected',
        values: { ':expected': expectedVersion },
      }),
      ReturnValues: 'ALL_NEW',
    });
    if (updated) return updated.Attributes ?? {};
    const current = await this.getHeaderItemOrThrow(customerId, transferId);
    throw new VersionConflictError('Transfer', transferId, expectedVersion, current.version as number);
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
}
