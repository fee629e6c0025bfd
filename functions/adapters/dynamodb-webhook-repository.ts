// Webhook endpoints and deliveries in the single table (keys in table-keys.ts, documented in transfer-table.md).
// A partner's endpoints live in one item guarded by a version, so the 10-endpoint limit and every change to them is
// one conditional write; each delivery is its own item, listed newest first through GSI1.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '#application/ports.ts';
import type {
  PartnerEndpoints,
  WebhookDeliveryStore,
  WebhookEndpointStore,
} from '#application/webhook-ports.ts';
import type { WebhookDelivery, WebhookEndpoint } from '#domain/webhooks/model.ts';
import {
  callDynamoDb,
  conditionalPut,
  queryPage,
  type StoredItem,
  withoutStorageAttributes,
} from './dynamodb-operations.ts';
import { INDEX_KEY_NAMES, PRIMARY_KEY_NAMES, timeOrderedSortKey, webhookKeys } from './table-keys.ts';
import { TTL_ATTRIBUTE } from './table-schema.ts';

/** Deliveries are history: AWS deletes them (TTL) a month after they were created. */
const DELIVERY_RETENTION_SECONDS = 30 * 24 * 60 * 60;

export class DynamoDbWebhookRepository implements WebhookEndpointStore, WebhookDeliveryStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getEndpoints(tenantId: string): Promise<PartnerEndpoints> {
    const output = await callDynamoDb('GetItem', () =>
      this.documentClient.send(
        new GetCommand({
          TableName: this.tableName,
          Key: webhookKeys.endpoints(tenantId),
          ConsistentRead: true,
        }),
      ),
    );
    const item = output.Item;
    if (!item) return { endpoints: [], version: 0 };
    return { endpoints: (item.endpoints ?? []) as WebhookEndpoint[], version: Number(item.version) };
  }

  async saveEndpoints(
    tenantId: string,
    endpoints: WebhookEndpoint[],
    expectedVersion: number,
  ): Promise<boolean> {
    const written = await conditionalPut(this.documentClient, {
      TableName: this.tableName,
      Item: {
        ...webhookKeys.endpoints(tenantId),
        entityType: 'WebhookEndpoints',
        partnerTenantId: tenantId,
        endpoints,
        version: expectedVersion + 1,
      },
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(PK)' : '#version = :expected',
      ...(expectedVersion === 0
        ? {}
        : {
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
    });
    return written !== undefined;
  }

  async getDelivery(endpointId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const output = await callDynamoDb('GetItem', () =>
      this.documentClient.send(
        new GetCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(endpointId, deliveryId),
          ConsistentRead: true,
        }),
      ),
    );
    return output.Item ? toDelivery(output.Item) : undefined;
  }

  async createDelivery(delivery: WebhookDelivery): Promise<boolean> {
    const written = await conditionalPut(this.documentClient, {
      TableName: this.tableName,
      Item: this.deliveryItem(delivery),
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    return written !== undefined;
  }

  async saveDelivery(delivery: WebhookDelivery): Promise<void> {
    await callDynamoDb('PutItem', () =>
      this.documentClient.send(
        new PutCommand({ TableName: this.tableName, Item: this.deliveryItem(delivery) }),
      ),
    );
  }

  listDeliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const partition = webhookKeys.deliveriesPartition(endpointId);
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :partition',
        ExpressionAttributeValues: { ':partition': partition },
        ScanIndexForward: false,
      },
      page,
      {
        keyNames: [...PRIMARY_KEY_NAMES, ...INDEX_KEY_NAMES.GSI1],
        partitionKeyName: 'GSI1PK',
        partitionKeyValue: partition,
      },
      toDelivery,
    );
  }

  private deliveryItem(delivery: WebhookDelivery): StoredItem {
    return {
      ...webhookKeys.delivery(delivery.endpointId, delivery.id),
      GSI1PK: webhookKeys.deliveriesPartition(delivery.endpointId),
      GSI1SK: timeOrderedSortKey(delivery.createdTime, delivery.id),
      entityType: 'WebhookDelivery',
      ...delivery,
      [TTL_ATTRIBUTE]: Math.floor(Date.parse(delivery.createdTime) / 1000) + DELIVERY_RETENTION_SECONDS,
    };
  }
}

function toDelivery(item: StoredItem): WebhookDelivery {
  return withoutStorageAttributes(item, [TTL_ATTRIBUTE]) as unknown as WebhookDelivery;
}
