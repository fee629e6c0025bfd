// What operations (the reconciler and the `ops` commands) need, wired from the environment: the table, the state
// machine, and the clock. Tests pass their own.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { createWorkflowExecutions } from '#adapters/workflow-executions.ts';
import { loadConfig } from '#shared/config.ts';
import type { OperationsDependencies } from './repair-transfer.ts';

export function operationsDependenciesFromEnvironment(
  now: () => Date = () => new Date(),
): OperationsDependencies {
  const { STATE_MACHINE_ARN, TABLE_NAME } = loadConfig(['STATE_MACHINE_ARN', 'TABLE_NAME']);
  return {
    storage: createDynamoDbStorage({ tableName: TABLE_NAME }),
    now,
    executions: createWorkflowExecutions(STATE_MACHINE_ARN),
    workflow: createTransferWorkflow(STATE_MACHINE_ARN),
  };
}
