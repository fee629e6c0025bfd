// How every transfer write route runs: the API's use cases (application/transfer-write-service.ts) wired once per
// cold start from the environment, and each request made idempotent by its MS-RequestId (#shared/http/idempotent-write.ts).
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import type { TransferWriteDependencies } from '#application/dependencies.ts';
import type { Storage } from '#application/ports.ts';
import {
  createTransferWriteService,
  type TransferWriteService,
} from '#application/transfer-write-service.ts';
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

export function transferWriteDependenciesFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): TransferWriteDependencies & { storage: Storage } {
  const config = loadConfig(
    [TABLE_NAME, STATE_MACHINE_ARN, ACCEPTANCE_WINDOW_DAYS, IDEMPOTENCY_IN_PROGRESS_SECONDS],
    env,
  );
  return {
    storage: createDynamoDbStorage({
      tableName: config.TABLE_NAME,
      ...(config.IDEMPOTENCY_IN_PROGRESS_SECONDS === undefined
        ? {}
        : { idempotency: { inProgressTimeoutSeconds: config.IDEMPOTENCY_IN_PROGRESS_SECONDS } }),
    }),
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
  write: (request: RouteRequest<P, Q, B>, transfers: TransferWriteService) => Promise<ApiResult>,
) {
  const dependencies = transferWriteDependenciesFromEnvironment();
  const transfers = createTransferWriteService(dependencies);
  return defineApiHandler(spec, (request) =>
    idempotentWrite(dependencies.storage.idempotency, request, () => write(request, transfers)),
  );
}

/** Cancel (on every route that aliases it): the transfer after the change, 200. */
export function defineCancelHandler() {
  return defineTransferWriteHandler({ params: transferPathSchema }, async (request, transfers) => {
    const transfer = await transfers.cancel(actionInput(request));
    return { statusCode: 200, body: transferRepresentation(transfer) };
  });
}

/**
 * Submit (POST …/submit and its alias …/accept): 202 Accepted, Location naming the transfer, and the transfer without
 * per-item data (SUBMITTED_TRANSFER_SCHEMA), so the answer costs the same whatever the number of line items: the
 * workflow moves them from here on, and GET shows them. A replay with the same MS-RequestId answers the same.
 */
export function defineSubmitHandler() {
  return defineTransferWriteHandler({ params: transferPathSchema }, async (request, transfers) => {
    const accepted = await transfers.submit(actionInput(request));
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
