// How every transfer write route runs: the use cases' dependencies wired once per cold start from the environment,
// and each request made idempotent by its MS-RequestId (#shared/http/idempotent-write.ts). A route calls its own use
// case (application/*.ts), so its bundle carries that use case only, and the storage is the parts the use cases and
// the idempotency check use (no email markers, no open-transfer index).
import { DynamoDbAuditRepository } from '#adapters/dynamodb-audit-repository.ts';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import { DynamoDbIdempotencyStore } from '#adapters/dynamodb-idempotency-store.ts';
import { DynamoDbSubscriptionRepository } from '#adapters/dynamodb-subscription-repository.ts';
import { DynamoDbTransferRepository } from '#adapters/dynamodb-transfer-repository.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { acceptTransferAsSource } from '#application/accept-transfer.ts';
import { cancelTransferAsTarget } from '#application/cancel-transfer.ts';
import type { TransferWriteDependencies, UseCaseStorage } from '#application/dependencies.ts';
import type { IdempotencyStore } from '#application/ports.ts';
import {
  ACCEPTANCE_WINDOW_DAYS,
  IDEMPOTENCY_IN_PROGRESS_SECONDS,
  loadConfig,
  STATE_MACHINE_ARN,
  TABLE_NAME,
} from '#shared/config.ts';
import {
  type ApiResult,
  defineApiHandler,
  type RouteRequest,
  type RouteSpec,
} from '#shared/http/api-handler.ts';
import { idempotentWrite } from '#shared/http/idempotent-write.ts';
import type * as z from '#shared/zod.ts';
import { transferPathSchema } from './schemas/transfer-write-schemas.ts';
import { submittedTransferRepresentation, transferRepresentation } from './transfer-representation.ts';

export type TransferWriteRouteDependencies = TransferWriteDependencies & {
  storage: UseCaseStorage & { idempotency: IdempotencyStore };
};

export function transferWriteDependenciesFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): TransferWriteRouteDependencies {
  const config = loadConfig(
    [TABLE_NAME, STATE_MACHINE_ARN, ACCEPTANCE_WINDOW_DAYS, IDEMPOTENCY_IN_PROGRESS_SECONDS],
    env,
  );
  const documentClient = createDynamoDbDocumentClient();
  const tableName = config.TABLE_NAME;
  return {
    storage: {
      directory: new DynamoDbDirectoryRepository(documentClient, tableName),
      subscriptions: new DynamoDbSubscriptionRepository(documentClient, tableName),
      transfers: new DynamoDbTransferRepository(documentClient, tableName),
      audit: new DynamoDbAuditRepository(documentClient, tableName),
      idempotency: new DynamoDbIdempotencyStore(
        documentClient,
        tableName,
        config.IDEMPOTENCY_IN_PROGRESS_SECONDS === undefined
          ? {}
          : { inProgressTimeoutSeconds: config.IDEMPOTENCY_IN_PROGRESS_SECONDS },
      ),
    },
    workflow: createTransferWorkflow(config.STATE_MACHINE_ARN),
    now: () => new Date(),
    acceptanceWindowDays: config.ACCEPTANCE_WINDOW_DAYS,
  };
}

export function defineTransferWriteHandler<
  P extends z.ZodMiniType | undefined = undefined,
  Q extends z.ZodMiniType | undefined = undefined,
  B extends z.ZodMiniType | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
  write: (request: RouteRequest<P, Q, B>, dependencies: TransferWriteDependencies) => Promise<ApiResult>,
) {
  const dependencies = transferWriteDependenciesFromEnvironment();
  return defineApiHandler(spec, (request) =>
    idempotentWrite(dependencies.storage.idempotency, request, () => write(request, dependencies)),
  );
}

/** Cancel (on every route that aliases it): the transfer after the change, 200. */
export function defineCancelHandler() {
  return defineTransferWriteHandler({ params: transferPathSchema }, async (request, dependencies) => {
    const transfer = await cancelTransferAsTarget(dependencies, actionInput(request));
    return { statusCode: 200, body: transferRepresentation(transfer) };
  });
}

/**
 * Submit (POST …/submit and its alias …/accept): 202 Accepted, Location naming the transfer, and the transfer without
 * per-item data (SUBMITTED_TRANSFER_SCHEMA), so the answer costs the same whatever the number of line items: the
 * workflow moves them from here on, and GET shows them. A replay with the same MS-RequestId answers the same.
 */
export function defineSubmitHandler() {
  return defineTransferWriteHandler({ params: transferPathSchema }, async (request, dependencies) => {
    const accepted = await acceptTransferAsSource(dependencies, actionInput(request));
    const body = submittedTransferRepresentation(accepted);
    return { statusCode: 202, body, headers: { Location: body.links.self.uri } };
  });
}

function actionInput(request: RouteRequest<typeof transferPathSchema, undefined, undefined>) {
  return {
    caller: request.caller,
    customerId: request.params.customerId,
    transferId: request.params.transferId,
  };
}
