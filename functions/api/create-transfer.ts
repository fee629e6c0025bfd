// POST /v1/customers/{customerId}/transfers: the target partner's admin agent creates a transfer (201).
import { createTransferForCustomer } from '#application/create-transfer.ts';
import type { CreateTransferRequest } from '#domain/model.ts';
import {
  type CreateTransferBody,
  createTransferBodySchema,
  customerPathSchema,
} from './schemas/transfer-write-schemas.ts';
import { transferRepresentation } from './transfer-representation.ts';
import { defineTransferWriteHandler } from './transfer-write-handler.ts';

/** The wire body as the domain's request; null means absent. */
function createTransferRequest(body: CreateTransferBody): CreateTransferRequest {
  return {
    sourcePartnerTenantId: body.sourcePartnerTenantId,
    sourcePartnerName: body.sourcePartnerName,
    customerEmailId: body.customerEmailId,
    ...(body.customerName != null ? { customerName: body.customerName } : {}),
    ...(body.targetPartnerTenantId != null ? { targetPartnerTenantId: body.targetPartnerTenantId } : {}),
    ...(body.targetPartnerEmailId != null ? { targetPartnerEmailId: body.targetPartnerEmailId } : {}),
    ...(body.targetProductTypes != null ? { targetProductTypes: body.targetProductTypes } : {}),
    ...(body.partnerOnRecord != null ? { partnerOnRecord: body.partnerOnRecord } : {}),
    ...(body.transferType != null ? { transferType: body.transferType } : {}),
  };
}

export const handler = defineTransferWriteHandler(
  { params: customerPathSchema, body: createTransferBodySchema },
  async (request, dependencies) => {
    const { transfer } = await createTransferForCustomer(dependencies, {
      caller: request.caller,
      customerId: request.params.customerId,
      request: createTransferRequest(request.body),
      ...(request.requestId !== undefined ? { requestId: request.requestId } : {}),
    });
    const representation = transferRepresentation(transfer);
    return { statusCode: 201, body: representation, headers: { Location: representation.links.self.uri } };
  },
);
