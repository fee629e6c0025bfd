// The storage a read handler works with, wired once per cold start from TABLE_NAME (set by the CDK stack and the
// local cloud). Adapters never read the environment themselves: the handlers' wiring does.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { Storage } from '#application/ports.ts';
import { loadConfig, TABLE_NAME } from '#shared/config.ts';

export function storageFromEnvironment(env: NodeJS.ProcessEnv = process.env): Storage {
  return createDynamoDbStorage({ tableName: loadConfig([TABLE_NAME], env).TABLE_NAME });
}
