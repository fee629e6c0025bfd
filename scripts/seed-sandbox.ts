// `npm run seed:sandbox -- --table <name>`: writes the sandbox (partners, users, customers, relationships,
// subscriptions) into a deployed table, insert-if-absent. The AWS SDK finds the account and endpoint the usual way
// (AWS_PROFILE / AWS_REGION; AWS_ENDPOINT_URL for LocalStack).
import { parseArgs } from 'node:util';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { seedSandbox } from '#local/seed-sandbox.ts';

export async function seedDeployedTable(tableName: string): Promise<boolean> {
  return seedSandbox(createDynamoDbStorage({ tableName }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { table: { type: 'string' } } });
  if (!values.table) {
    console.error('Usage: npm run seed:sandbox -- --table <table name (stack output TableName)>');
    process.exitCode = 2;
    return;
  }
  const written = await seedDeployedTable(values.table);
  console.log(
    written ? `Seeded the sandbox into ${values.table}.` : `${values.table} already had the sandbox.`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
