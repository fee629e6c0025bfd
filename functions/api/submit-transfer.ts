// POST …/transfers/{transferId}/submit and its alias POST …/accept (the reference's legacy accept): the source
// partner's admin agent accepts the transfer with its line items (200).
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
    const transfer = await transfers.submit({
      caller: request.caller,
      customerId: request.params.customerId,
      transferId: request.params.transferId,
    });
    return { statusCode: 200, body: transferRepresentation(transfer) };
  }),
);
