// A transfer's line items by revision (see dynamodb-transfer-repository.ts): writing a revision's set, deleting the
// older sets, and the conditional per-item change the workflow makes while moving them. Which revision is current
// is storage's business: callers hand back the opaque LineItemSetRef a header read gave them, or nothing.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LineItemChange, LineItemCondition, LineItemSetRef } from '#application/ports.ts';
import { LineItemStatusConflictError, NotFoundError } from '#application/storage-errors.ts';
import type { TransferLineItem } from '#domain/model.ts';
import { batchWrite } from './dynamodb-batch.ts';
import {
  callDynamoDb,
  conditionalUpdate,
  getItem,
  queryAll,
  type StoredItem,
} from './dynamodb-operations.ts';
import { transferKeys } from './table-keys.ts';
import { lineItemItem, statusInExpression, toLineItem } from './transfer-items.ts';
import { withLineItemEvent } from './transfer-outbox.ts';
import { updateParameters } from './update-expression.ts';

/** The revision behind a LineItemSetRef: only this module and the header reads know it is a number. */
export const lineItemSetRef = (revision: number) => revision as LineItemSetRef;

export class TransferLineItemStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(
    customerId: string,
    transferId: string,
    lineItems: readonly TransferLineItem[],
    revision: number,
  ): Promise<void> {
    await batchWrite(
      this.documentClient,
      this.tableName,
      lineItems.map((lineItem, ordinal) => ({
        PutRequest: { Item: lineItemItem(customerId, transferId, lineItem, revision, ordinal) },
      })),
    );
  }

  /** Older revisions are never written again by a newer writer, so deleting them needs no condition. */
  async deleteOlderThan(customerId: string, transferId: string, revision: number): Promise<void> {
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

  async update(
    customerId: string,
    transferId: string,
    lineItemId: string,
    change: LineItemChange,
    condition: LineItemCondition = {},
  ): Promise<TransferLineItem> {
    const values: StoredItem = {};
    let expression = 'attribute_exists(PK) AND ';
    if (condition.statusIn !== undefined) {
      if (condition.statusIn.length === 0) throw new RangeError('statusIn must not be empty');
      expression += statusInExpression(condition.statusIn, values, 'allowed');
    } else {
      expression += '#status <> :complete';
      values[':complete'] = 'Complete';
    }
    const revision =
      condition.lineItemSet === undefined
        ? await this.currentRevision(customerId, transferId)
        : (condition.lineItemSet as number);
    const key = transferKeys.lineItem(customerId, transferId, revision, lineItemId);
    const updated = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: key,
      ...updateParameters(
        withLineItemEvent(
          {
            set: {
              status: change.status,
              completedTime: change.completedTime,
              transferError: change.transferError ?? undefined,
            },
            increment: change.incrementAttempts ? { attempts: 1 } : {},
            remove: change.transferError === null ? ['transferError'] : [],
          },
          transferId,
          lineItemId,
          change,
        ),
        { expression, names: { '#status': 'status' }, values },
      ),
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

  private async currentRevision(customerId: string, transferId: string): Promise<number> {
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
}
