// How every transfer write route runs: one transfer write service per cold start, built from the environment, and
// each request made idempotent by its MS-RequestId (see #shared/http/idempotent-write.ts).
import type * as z from 'zod';
import {
  type ApiResult,
  defineApiHandler,
  type RouteRequest,
  type RouteSpec,
} from '#shared/http/api-handler.ts';
import { idempotentWrite } from '#shared/http/idempotent-write.ts';
import { transferPathSchema } from './schemas/transfer-write-schemas.ts';
import { transferRepresentation } from './transfer-representation.ts';
import {
  createTransferWriteService,
  type TransferWriteService,
  transferServiceDependenciesFromEnvironment,
} from './transfer-service/index.ts';

export function defineTransferWriteHandler<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
  write: (request: RouteRequest<P, Q, B>, transfers: TransferWriteService) => Promise<ApiResult>,
) {
  const dependencies = transferServiceDependenciesFromEnvironment();
  const transfers = createTransferWriteService(dependencies);
  return defineApiHandler(spec, (request) =>
    idempotentWrite(dependencies.storage.idempotency, request, () => write(request, transfers)),
  );
}

/** Submit and cancel (on every route that aliases them): the addressed transfer after the change, 200. */
export function defineTransferStatusChangeHandler(change: 'submit' | 'cancel') {
  return defineTransferWriteHandler({ params: transferPathSchema }, async (request, transfers) => {
    const transfer = await transfers[change]({
      caller: request.caller,
      customerId: request.params.customerId,
      transferId: request.params.transferId,
    });
    return { statusCode: 200, body: transferRepresentation(transfer) };
  });
}
