// Open transfers (GSI4, sparse): every transfer whose status is Active, Accepted or InProgress has GSI4PK =
// OPEN#<status> (the transfer repository keeps it in step with every status change and removes it at a terminal
// status), so the reconciler finds them with one Query per status and never scans. The header also carries the
// number of its current workflow execution (`workflowRun`), claimed here with a conditional write.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OpenTransfer, OpenTransfers, Page, PageRequest } from '#application/ports.ts';
import { NotFoundError } from '#application/storage-errors.ts';
import type { TransferStatus } from '#domain/model.ts';
import { conditionalUpdate, getItem, queryPage, type StoredItem } from './dynamodb-operations.ts';
import { INDEX_KEY_NAMES, PRIMARY_KEY_NAMES, transferKeys } from './table-keys.ts';
import { toHeader } from './transfer-items.ts';

function toOpenTransfer(item: StoredItem): OpenTransfer {
  return {
    ...toHeader(item),
    workflowRun: typeof item.workflowRun === 'number' ? item.workflowRun : 0,
    ...(typeof item.workflowRunStartedAt === 'string'
      ? { workflowRunStartedAt: item.workflowRunStartedAt }
      : {}),
  };
}

export class DynamoDbOpenTransfers implements OpenTransfers {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  list(status: TransferStatus, page: PageRequest = {}): Promise<Page<OpenTransfer>> {
    const partition = transferKeys.openPartition(status);
    const [partitionKeyName, sortKeyName] = INDEX_KEY_NAMES.GSI4;
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        IndexName: 'GSI4',
        KeyConditionExpression: `${partitionKeyName} = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: true,
      },
      page,
      {
        keyNames: [...PRIMARY_KEY_NAMES, partitionKeyName, sortKeyName],
        partitionKeyName,
        partitionKeyValue: partition,
      },
      toOpenTransfer,
    );
  }

  async claimNextWorkflowRun(
    customerId: string,
    transferId: string,
    expectedRun: number,
    at: string,
  ): Promise<boolean> {
    const claimed = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: transferKeys.header(customerId, transferId),
      UpdateExpression: 'SET workflowRun = :next, workflowRunStartedAt = :at',
      ConditionExpression:
        expectedRun === 0
          ? 'attribute_exists(PK) AND (attribute_not_exists(workflowRun) OR workflowRun = :expected)'
          : 'attribute_exists(PK) AND workflowRun = :expected',
      ExpressionAttributeValues: { ':next': expectedRun + 1, ':expected': expectedRun, ':at': at },
    });
    if (claimed) return true;
    const header = await getItem(
      this.documentClient,
      this.tableName,
      transferKeys.header(customerId, transferId),
    );
    if (!header) throw new NotFoundError('Transfer', transferId);
    return false;
  }
}
