// The stored images of the items a transfer's moves write (its line items and their subscriptions), read raw before
// the moves and put back before a replay: the replayed writes then meet every item as the moves met it, so they go
// with their conditions, which hold again, and write what the moves wrote.
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { customerPartition, subscriptionKeys, transferKeys } from '#adapters/table-keys.ts';

type WireItem = Record<string, AttributeValue>;

export interface ItemSnapshot {
  tableName: string;
  items: WireItem[];
}

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;

const chunks = <T>(values: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(values.length / size) }, (_, index) =>
    values.slice(index * size, (index + 1) * size),
  );

export async function snapshotMoveItems(
  client: DynamoDBClient,
  tableName: string,
  target: { customerId: string; transferId: string; subscriptionIds: readonly string[] },
): Promise<ItemSnapshot> {
  const items: WireItem[] = [];
  let startKey: WireItem | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': { S: customerPartition(target.customerId) },
          ':prefix': { S: transferKeys.lineItemPrefix(target.transferId) },
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  for (const ids of chunks(target.subscriptionIds, BATCH_GET_LIMIT)) {
    let keys: WireItem[] = ids.map((id) => {
      const { PK, SK } = subscriptionKeys.subscription(target.customerId, id);
      return { PK: { S: PK }, SK: { S: SK } };
    });
    while (keys.length > 0) {
      const answer = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      items.push(...(answer.Responses?.[tableName] ?? []));
      keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return { tableName, items };
}

/** Writes every item of the snapshot back as it was. */
export async function restoreItems(client: DynamoDBClient, snapshot: ItemSnapshot): Promise<void> {
  for (const batch of chunks(snapshot.items, BATCH_WRITE_LIMIT)) {
    let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
    while (requests.length > 0) {
      const answer = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [snapshot.tableName]: requests } }),
      );
      requests = (answer.UnprocessedItems?.[snapshot.tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
}
