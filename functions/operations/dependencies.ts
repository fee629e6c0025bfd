// What operations (the reconciler and the `ops` commands) need, wired from the environment: the table, the state
// machine, and the clock. Tests pass their own.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { createWorkflowExecutions } from '#adapters/workflow-executions.ts';
import { loadConfig, STATE_MACHINE_ARN, TABLE_NAME } from '#shared/config.ts';
import type { OperationsDependencies } from './repair-transfer.ts';

export function operationsDependenciesFromEnvironment(
  now: () => Date = () => new Date(),
): OperationsDependencies {
  const config = loadConfig([STATE_MACHINE_ARN, TABLE_NAME]);
  return {
    storage: createDynamoDbStorage({ tableName: config.TABLE_NAME }),
    now,
    executions: createWorkflowExecutions(config.STATE_MACHINE_ARN),
    workflow: createTransferWorkflow(config.STATE_MACHINE_ARN),
  };
}
