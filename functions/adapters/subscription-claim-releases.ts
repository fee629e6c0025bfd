// Releasing a transfer's claims on subscriptions, on its own: what the close and finalise steps (and the reconciler's
// repairs) need of the subscriptions, without the rest of DynamoDbSubscriptionRepository (which answers these
// through the same functions).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimReleases } from '#application/subscription-claims.ts';
import { conditionalUpdate, queryAll } from './dynamodb-operations.ts';
import { customerPartition, subscriptionKeys } from './table-keys.ts';

/** Removes the claim if (and only if) `transferId` holds it. Resolves whether a claim was removed. */
export async function releaseClaim(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  subscriptionId: string,
  transferId: string,
): Promise<boolean> {
  const released = await conditionalUpdate(documentClient, {
    TableName: tableName,
    Key: subscriptionKeys.subscription(customerId, subscriptionId),
    UpdateExpression: 'REMOVE openTransferId SET version = version + :one',
    ConditionExpression: 'openTransferId = :transferId',
    ExpressionAttributeValues: { ':transferId': transferId, ':one': 1 },
  });
  return released !== undefined;
}

/**
 * A filtered Query of the customer's subscriptions: DynamoDB reads (and bills) every one of them as a paged list
 * would, but each response page holds up to 1 MB of them and carries only the matching ids, so a customer with
 * thousands of subscriptions costs a handful of requests instead of one per 100.
 */
export async function claimedBy(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  transferId: string,
): Promise<string[]> {
  const items = await queryAll(documentClient, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    FilterExpression: 'openTransferId = :transferId',
    ProjectionExpression: 'subscriptionId',
    ExpressionAttributeValues: {
      ':pk': customerPartition(customerId),
      ':prefix': subscriptionKeys.ofCustomerPrefix,
      ':transferId': transferId,
    },
    ConsistentRead: true,
  });
  return items.map((item) => item.subscriptionId as string);
}

export function createClaimReleases(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
): ClaimReleases {
  return {
    releaseClaim: (customerId, subscriptionId, transferId) =>
      releaseClaim(documentClient, tableName, customerId, subscriptionId, transferId),
    claimedBy: (customerId, transferId) => claimedBy(documentClient, tableName, customerId, transferId),
  };
}
