// Subscriptions: per customer in the customer's partition, per billing partner on GSI2. Claims and moves are single
// conditional updates; after a refused condition the item is read back to say precisely why (dynalite ignores
// ReturnValuesOnConditionCheckFailure, so the adapter never relies on it).

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  MoveBillingOwnerRequest,
  Page,
  PageRequest,
  PutOptions,
  SubscriptionRepository,
} from '#application/ports.ts';
import {
  ConditionFailedError,
  NotFoundError,
  SubscriptionConflictError,
} from '#application/storage-errors.ts';
import type { Subscription } from '#domain/model.ts';
import { batchGet } from './dynamodb-batch.ts';
import {
  conditionalUpdate,
  getItem,
  putItem,
  queryPage,
  type StoredItem,
  withoutStorageAttributes,
} from './dynamodb-operations.ts';
import { claimedBy, releaseClaim } from './subscription-claim-releases.ts';
import { customerPartition, INDEX_KEY_NAMES, PRIMARY_KEY_NAMES, subscriptionKeys } from './table-keys.ts';
import { updateParameters } from './update-expression.ts';

const MAX_GET_MANY = 1_000;

function toSubscription(item: StoredItem): Subscription {
  return withoutStorageAttributes(item) as unknown as Subscription;
}

export class DynamoDbSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  put(subscription: Subscription, options?: PutOptions): Promise<boolean> {
    return putItem(
      this.documentClient,
      this.tableName,
      {
        ...subscription,
        ...subscriptionKeys.subscription(subscription.customerId, subscription.subscriptionId),
        GSI2PK: subscriptionKeys.billedByPartition(subscription.billingPartnerTenantId),
        GSI2SK: subscriptionKeys.billedBySortKey(subscription.customerId, subscription.subscriptionId),
        entityType: 'Subscription',
      },
      options,
    );
  }

  async get(customerId: string, subscriptionId: string): Promise<Subscription | undefined> {
    const item = await getItem(
      this.documentClient,
      this.tableName,
      subscriptionKeys.subscription(customerId, subscriptionId),
    );
    return item && toSubscription(item);
  }

  async getMany(customerId: string, subscriptionIds: readonly string[]): Promise<Subscription[]> {
    const unique = [...new Set(subscriptionIds)];
    if (unique.length > MAX_GET_MANY)
      throw new RangeError(`getMany reads at most ${MAX_GET_MANY} subscriptions`);
    const keys = unique.map((id) => ({ ...subscriptionKeys.subscription(customerId, id) }));
    const items = await batchGet(this.documentClient, this.tableName, keys);
    const byId = new Map(items.map((item) => [item.subscriptionId as string, toSubscription(item)]));
    return unique.flatMap((id) => {
      const subscription = byId.get(id);
      return subscription ? [subscription] : [];
    });
  }

  listByCustomer(customerId: string, page: PageRequest = {}): Promise<Page<Subscription>> {
    const partition = customerPartition(customerId);
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': subscriptionKeys.ofCustomerPrefix },
        ConsistentRead: true,
      },
      page,
      { keyNames: PRIMARY_KEY_NAMES, partitionKeyName: 'PK', partitionKeyValue: partition },
      toSubscription,
    );
  }

  listByBillingPartner(tenantId: string, page: PageRequest = {}): Promise<Page<Subscription>> {
    const partition = subscriptionKeys.billedByPartition(tenantId);
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      },
      page,
      {
        keyNames: [...PRIMARY_KEY_NAMES, ...INDEX_KEY_NAMES.GSI2],
        partitionKeyName: 'GSI2PK',
        partitionKeyValue: partition,
      },
      toSubscription,
    );
  }

  async claimForTransfer(
    customerId: string,
    subscriptionId: string,
    transferId: string,
    expectedSourceTenantId: string,
  ): Promise<Subscription> {
    const claimed = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: subscriptionKeys.subscription(customerId, subscriptionId),
      UpdateExpression: 'SET openTransferId = :transferId, version = version + :one',
      ConditionExpression:
        'attribute_exists(PK) AND billingPartnerTenantId = :source AND ' +
        '(attribute_not_exists(openTransferId) OR openTransferId = :transferId)',
      ExpressionAttributeValues: {
        ':transferId': transferId,
        ':source': expectedSourceTenantId,
        ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    });
    if (claimed) return toSubscription(claimed.Attributes ?? {});
    const current = await this.getOrThrow(customerId, subscriptionId);
    const state = this.conflictState(current);
    if (current.openTransferId !== undefined && current.openTransferId !== transferId) {
      throw new SubscriptionConflictError('claimed-by-another-transfer', subscriptionId, state);
    }
    if (current.billingPartnerTenantId !== expectedSourceTenantId) {
      throw new SubscriptionConflictError('not-billed-by-source', subscriptionId, state);
    }
    // The refusing state is gone again (a concurrent release): the claim may simply be tried once more.
    throw new ConditionFailedError(`Subscription ${subscriptionId} changed during the claim; try again.`);
  }

  releaseClaim(customerId: string, subscriptionId: string, transferId: string): Promise<boolean> {
    return releaseClaim(this.documentClient, this.tableName, customerId, subscriptionId, transferId);
  }

  claimedBy(customerId: string, transferId: string): Promise<string[]> {
    return claimedBy(this.documentClient, this.tableName, customerId, transferId);
  }

  async moveBillingOwner(
    request: MoveBillingOwnerRequest,
  ): Promise<{ alreadyMoved: boolean; subscription: Subscription }> {
    const { customerId, subscriptionId, transferId, fromTenantId, toTenantId, partnerIdOnRecord } = request;
    const moved = await conditionalUpdate(this.documentClient, {
      TableName: this.tableName,
      Key: subscriptionKeys.subscription(customerId, subscriptionId),
      ...updateParameters(
        {
          set: {
            billingPartnerTenantId: toTenantId,
            GSI2PK: subscriptionKeys.billedByPartition(toTenantId),
            movedByTransferId: transferId,
            partnerIdOnRecord,
          },
          increment: { version: 1 },
          remove:
            partnerIdOnRecord === undefined ? ['openTransferId', 'partnerIdOnRecord'] : ['openTransferId'],
        },
        {
          expression:
            'attribute_exists(PK) AND billingPartnerTenantId = :from AND ' +
            '(attribute_not_exists(openTransferId) OR openTransferId = :transferId)',
          values: { ':from': fromTenantId, ':transferId': transferId },
        },
      ),
      ReturnValues: 'ALL_NEW',
    });
    if (moved) return { alreadyMoved: false, subscription: toSubscription(moved.Attributes ?? {}) };
    const current = await this.getOrThrow(customerId, subscriptionId);
    if (current.movedByTransferId === transferId) return { alreadyMoved: true, subscription: current };
    const state = this.conflictState(current);
    if (current.openTransferId !== undefined && current.openTransferId !== transferId) {
      throw new SubscriptionConflictError('claimed-by-another-transfer', subscriptionId, state);
    }
    throw new SubscriptionConflictError('not-billed-by-source', subscriptionId, state);
  }

  private async getOrThrow(customerId: string, subscriptionId: string): Promise<Subscription> {
    const current = await this.get(customerId, subscriptionId);
    if (!current) throw new NotFoundError('Subscription', `${customerId}/${subscriptionId}`);
    return current;
  }

  private conflictState(subscription: Subscription) {
    return {
      billingPartnerTenantId: subscription.billingPartnerTenantId,
      ...(subscription.openTransferId === undefined
        ? {}
        : { claimedByTransferId: subscription.openTransferId }),
    };
  }
}
