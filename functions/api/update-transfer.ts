// PATCH /v1/customers/{customerId}/transfers/{transferId}: the reference's update forms (line items, "Accepted",
// "Cancel"); see application/patch-transfer.ts for what each does.
import { patchTransfer } from '#application/patch-transfer.ts';
import type { LineItemRequest } from '#domain/model.ts';
import {
  type LineItemRequestBody,
  transferPathSchema,
  updateTransferBodySchema,
} from './schemas/transfer-write-schemas.ts';
import { transferRepresentation } from './transfer-representation.ts';
import { defineTransferWriteHandler } from './transfer-write-handler.ts';

/** Only the fields the source chooses; the echoed catalogue fields are the server's to copy. */
function lineItemRequest(item: LineItemRequestBody): LineItemRequest {
  return {
    subscriptionId: item.subscriptionId,
    ...(item.quantity != null ? { quantity: item.quantity } : {}),
    ...(item.partnerIdOnRecord != null ? { partnerIdOnRecord: item.partnerIdOnRecord } : {}),
  };
}

export const handler = defineTransferWriteHandler(
  { params: transferPathSchema, body: updateTransferBodySchema },
  async (request, dependencies) => {
    const { body, params } = request;
    const echo = {
      ...(body.id != null ? { id: body.id } : {}),
      ...(body.customerTenantId != null ? { customerTenantId: body.customerTenantId } : {}),
      ...(body.sourcePartnerTenantId != null ? { sourcePartnerTenantId: body.sourcePartnerTenantId } : {}),
      ...(body.targetPartnerTenantId != null ? { targetPartnerTenantId: body.targetPartnerTenantId } : {}),
    };
    const transfer = await patchTransfer(dependencies, {
      caller: request.caller,
      customerId: params.customerId,
      transferId: params.transferId,
      echo,
      ...(body.status != null ? { status: body.status } : {}),
      ...(body.lineItems != null ? { lineItems: body.lineItems.map(lineItemRequest) } : {}),
    });
    return { statusCode: 200, body: transferRepresentation(transfer) };
  },
);
