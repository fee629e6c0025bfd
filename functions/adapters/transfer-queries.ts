// The transfer reads: one whole transfer (header and its current line items) from one paginated Query, and the
// listings by customer, by target (outbox) and by source (inbox) from the secondary indexes, newest first.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  CustomerTransferListRequest,
  Page,
  TransferDirection,
  TransferHeader,
  TransferListRequest,
} from '#application/ports.ts';
import type { Transfer, TransferStatus } from '#domain/model.ts';
import { type QueryInput, queryAll, queryPage, type StoredItem } from './dynamodb-operations.ts';
import { INDEX_KEY_NAMES, PRIMARY_KEY_NAMES, transferKeys } from './table-keys.ts';
import { hasClaimsInFlight, statusInExpression, toHeader, toLineItem } from './transfer-items.ts';

export interface TransferQueryOptions {
  /** Query page size when reading a transfer (default: DynamoDB's 1 MB pages). Tests force small pages. */
  lineItemQueryPageSize?: number;
}

function statusList(status: TransferListRequest['status']): readonly TransferStatus[] {
  if (status === undefined) return [];
  return typeof status === 'string' ? [status] : status;
}

export class TransferQueries {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: TransferQueryOptions = {},
  ) {}

  async get(customerId: string, transferId: string): Promise<Transfer | undefined> {
    return (await this.getWithClaimsInFlight(customerId, transferId))?.transfer;
  }

  async getWithClaimsInFlight(
    customerId: string,
    transferId: string,
  ): Promise<{ transfer: Transfer; claimsInFlight: boolean } | undefined> {
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
    const { lineItemCount, ...header } = toHeader(headerItem);
    // Fewer items than the header counts: a replacement died between its header write (which removed its mark) and
    // its items, whose subscriptions it had claimed.
    const incomplete = lineItems.length !== lineItemCount;
    return {
      transfer: { ...header, lineItems },
      claimsInFlight: hasClaimsInFlight(headerItem) || incomplete,
    };
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

  private listIndex(
    indexName: 'GSI1' | 'GSI2' | 'GSI3',
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
}
