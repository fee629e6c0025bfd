// Audit log: one item per record, keyed by its id (a retried append is a no-op), listed in time order through GSI1
// (per partner) and GSI2 (per partner and transfer).

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditListRequest, AuditRepository, Page } from '#application/ports.ts';
import type { AuditRecord } from '#domain/model.ts';
import {
  conditionalPut,
  queryPage,
  type StoredItem,
  withoutStorageAttributes,
} from './dynamodb-operations.ts';
import { auditKeys, INDEX_KEY_NAMES, PRIMARY_KEY_NAMES, timeOrderedSortKey } from './table-keys.ts';

/** Sorts after every `<at>#<id>` sort key that starts with the same `at`: makes `to` inclusive. */
const AFTER_ANY_ID = '#\uffff';

export class DynamoDbAuditRepository implements AuditRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(record: AuditRecord): Promise<{ appended: boolean }> {
    const sortKey = timeOrderedSortKey(record.at, record.id);
    const item: StoredItem = {
      ...record,
      ...auditKeys.record(record.partnerTenantId, record.id),
      GSI1PK: auditKeys.ofPartnerPartition(record.partnerTenantId),
      GSI1SK: sortKey,
      GSI2PK: auditKeys.ofPartnerTransferPartition(record.partnerTenantId, record.transferId),
      GSI2SK: sortKey,
      entityType: 'AuditRecord',
    };
    const appended = await conditionalPut(this.documentClient, {
      TableName: this.tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    return { appended: appended !== undefined };
  }

  async list(partnerTenantId: string, request: AuditListRequest = {}): Promise<Page<AuditRecord>> {
    if (request.from !== undefined && request.to !== undefined && request.from > request.to)
      return { items: [] };
    const byTransfer = request.transferId !== undefined;
    const indexName = byTransfer ? 'GSI2' : 'GSI1';
    const [partitionKeyName, sortKeyName] = INDEX_KEY_NAMES[indexName];
    const partition =
      request.transferId !== undefined
        ? auditKeys.ofPartnerTransferPartition(partnerTenantId, request.transferId)
        : auditKeys.ofPartnerPartition(partnerTenantId);
    const values: StoredItem = { ':pk': partition };
    let keyCondition = `${partitionKeyName} = :pk`;
    if (request.from !== undefined && request.to !== undefined) {
      keyCondition += ` AND ${sortKeyName} BETWEEN :from AND :to`;
      values[':from'] = request.from;
      values[':to'] = request.to + AFTER_ANY_ID;
    } else if (request.from !== undefined) {
      keyCondition += ` AND ${sortKeyName} >= :from`;
      values[':from'] = request.from;
    } else if (request.to !== undefined) {
      keyCondition += ` AND ${sortKeyName} <= :to`;
      values[':to'] = request.to + AFTER_ANY_ID;
    }
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      request,
      {
        keyNames: [...PRIMARY_KEY_NAMES, partitionKeyName, sortKeyName],
        partitionKeyName,
        partitionKeyValue: partition,
      },
      (item) => withoutStorageAttributes(item) as unknown as AuditRecord,
    );
  }
}
