// A real dynalite (DynamoDB wire protocol, in memory) on a random free loopback port, with the table created from
// the shared schema. Each test file starts its own. It reads like the local cloud's (#local/dynamodb-fair-reads.ts).

import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { ensureTable } from '#adapters/create-table.ts';
import { createDynamoDbClient, createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { installFairDynamoDbReads } from '#local/dynamodb-fair-reads.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export interface LocalDynamoDb {
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  stop(): Promise<void>;
}

export async function startDynalite(tableName = 'partner-transfers-test'): Promise<LocalDynamoDb> {
  installFairDynamoDbReads();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoDbClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  return {
    endpoint,
    client,
    documentClient: createDynamoDbDocumentClient(client),
    tableName,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
