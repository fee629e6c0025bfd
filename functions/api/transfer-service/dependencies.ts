// What the transfer write service works with: storage, the workflow, a clock and the acceptance window. Handlers
// build it once per cold start from the environment; tests may pass their own.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { Storage } from '#adapters/ports.ts';
import { createTransferWorkflow, type TransferWorkflow } from '#adapters/transfer-workflow.ts';
import { loadConfig } from '#shared/config.ts';

export interface TransferServiceDependencies {
  storage: Storage;
  workflow: TransferWorkflow;
  now: () => Date;
  /** Days the source has to submit (ACCEPTANCE_WINDOW_DAYS). */
  acceptanceWindowDays: number;
}

export function transferServiceDependenciesFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): TransferServiceDependencies {
  const config = loadConfig(['TABLE_NAME', 'STATE_MACHINE_ARN', 'ACCEPTANCE_WINDOW_DAYS'], env);
  return {
    storage: createDynamoDbStorage({ tableName: config.TABLE_NAME }),
    workflow: createTransferWorkflow(config.STATE_MACHINE_ARN),
    now: () => new Date(),
    acceptanceWindowDays: config.ACCEPTANCE_WINDOW_DAYS,
  };
}
