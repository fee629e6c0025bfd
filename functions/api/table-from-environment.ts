// The table a read route works with, wired once per cold start from TABLE_NAME (set by the CDK stack and the local
// cloud): one document client and the table name. Each route constructs from it only the repositories its use case
// reads, so its bundle carries only their code. Adapters never read the environment themselves: the wiring does.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { loadConfig, TABLE_NAME } from '#shared/config.ts';

export interface Table {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
}

export function tableFromEnvironment(env: NodeJS.ProcessEnv = process.env): Table {
  const { TABLE_NAME: tableName } = loadConfig([TABLE_NAME], env);
  return { documentClient: createDynamoDbDocumentClient(), tableName };
}
