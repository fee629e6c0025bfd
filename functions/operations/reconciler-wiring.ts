// The reconciler's dependencies, wired from the environment once per container: only the repositories a repair
// touches (operations/use-cases.ts RepairStorage), so its bundle leaves out the rest of storage; `ops` keeps all of
// it (dependencies.ts). One Step Functions client serves the executions and the workflow.
import { DynamoDbAuditRepository } from '#adapters/dynamodb-audit-repository.ts';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { DynamoDbOpenTransfers } from '#adapters/dynamodb-open-transfers.ts';
import { DynamoDbTransferRepository } from '#adapters/dynamodb-transfer-repository.ts';
import { createClaimReleases } from '#adapters/subscription-claim-releases.ts';
import { createSfnClient, createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { createWorkflowExecutions } from '#adapters/workflow-executions.ts';
import { loadConfig, STATE_MACHINE_ARN, TABLE_NAME } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';
import type { OperationsDependencies } from './repair-transfer.ts';

const RECONCILER_VARIABLES = [
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SFN',
  'TABLE_NAME',
  'STATE_MACHINE_ARN',
];

export const reconcilerDependenciesFromEnvironment = onceFor(
  RECONCILER_VARIABLES,
  (): OperationsDependencies => {
    const config = loadConfig([STATE_MACHINE_ARN, TABLE_NAME]);
    const documentClient = createDynamoDbDocumentClient();
    const table = config.TABLE_NAME;
    const sfn = createSfnClient();
    return {
      storage: {
        transfers: new DynamoDbTransferRepository(documentClient, table),
        subscriptions: createClaimReleases(documentClient, table),
        audit: new DynamoDbAuditRepository(documentClient, table),
        openTransfers: new DynamoDbOpenTransfers(documentClient, table),
      },
      now: () => new Date(),
      executions: createWorkflowExecutions(config.STATE_MACHINE_ARN, sfn),
      workflow: createTransferWorkflow(config.STATE_MACHINE_ARN, sfn),
    };
  },
);
