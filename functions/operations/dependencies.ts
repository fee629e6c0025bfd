// What operations (the reconciler and the `ops` commands) need, wired from the environment: the table, the state
// machine, and the clock, with all of storage (`ops inspect` reads the email markers). Tests pass their own. The
// reconciler wires only what a repair touches (reconciler-wiring.ts).
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { createWorkflowExecutions } from '#adapters/workflow-executions.ts';
import type { Storage } from '#application/ports.ts';
import { loadConfig, STATE_MACHINE_ARN, TABLE_NAME } from '#shared/config.ts';
import type { OperationsDependencies } from './repair-transfer.ts';

export function operationsDependenciesFromEnvironment(
  now: () => Date = () => new Date(),
): OperationsDependencies & { storage: Storage } {
  const config = loadConfig([STATE_MACHINE_ARN, TABLE_NAME]);
  return {
    storage: createDynamoDbStorage({ tableName: config.TABLE_NAME }),
    now,
    executions: createWorkflowExecutions(config.STATE_MACHINE_ARN),
    workflow: createTransferWorkflow(config.STATE_MACHINE_ARN),
  };
}
