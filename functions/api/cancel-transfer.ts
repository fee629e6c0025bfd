// POST …/transfers/{transferId}/cancel and its alias DELETE …/transfers/{transferId}: the target partner's admin
// agent cancels a pending transfer (200 with the Canceled transfer, on both routes).
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { idempotentWrite } from '#shared/http/idempotent-write.ts';
import { transferPathSchema } from './schemas/transfer-write-schemas.ts';
import { transferRepresentation } from './transfer-representation.ts';
import {
  createTransferWriteService,
  transferServiceDependenciesFromEnvironment,
} from './transfer-service/index.ts';

const dependencies = transferServiceDependenciesFromEnvironment();
const transfers = createTransferWriteService(dependencies);

export const handler = defineApiHandler({ params: transferPathSchema }, (request) =>
  idempotentWrite(dependencies.storage.idempotency, request, async () => {
    const transfer = await transfers.cancel({
      caller: request.caller,
      customerId: request.params.customerId,
      transferId: request.params.transferId,
    });
    return { statusCode: 200, body: transferRepresentation(transfer) };
  }),
);
