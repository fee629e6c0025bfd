// How a transfer looks on the wire: the reference system's TransferEntity fields, plus progress and links.
// Internal fields (version, the workflow's task token) never leave the service.
import type { TransferHeader } from '#application/ports.ts';
import type { Transfer, TransferLineItem } from '#domain/model.ts';
import { progressAtAcceptance, transferProgress } from '#domain/progress.ts';

export const transferPath = (customerId: string, transferId: string) =>
  `/v1/customers/${customerId}/transfers/${transferId}`;

function lineItemRepresentation(item: TransferLineItem) {
  return {
    id: item.id,
    subscriptionId: item.subscriptionId,
    quantity: item.quantity,
    billingCycle: item.billingCycle,
    friendlyName: item.friendlyName,
    partnerIdOnRecord: item.partnerIdOnRecord,
    offerId: item.offerId,
    skuId: item.skuId,
    catalogItemId: item.catalogItemId,
    termDuration: item.termDuration,
    productType: item.productType,
    addOnItems: [],
    status: item.status,
    attempts: item.attempts,
    transferError: item.transferError,
    completedTime: item.completedTime,
  };
}

function headerFields(transfer: Omit<Transfer, 'lineItems'>) {
  return {
    id: transfer.id,
    status: transfer.status,
    customerTenantId: transfer.customerTenantId,
    customerName: transfer.customerName,
    customerEmailId: transfer.customerEmailId,
    sourcePartnerTenantId: transfer.sourcePartnerTenantId,
    sourcePartnerName: transfer.sourcePartnerName,
    targetPartnerTenantId: transfer.targetPartnerTenantId,
    targetPartnerName: transfer.targetPartnerName,
    targetPartnerEmailId: transfer.targetPartnerEmailId,
    targetProductTypes: transfer.targetProductTypes ?? null,
    partnerOnRecord: transfer.partnerOnRecord,
    transferType: transfer.transferType,
    createdTime: transfer.createdTime,
    lastModifiedTime: transfer.lastModifiedTime,
    lastModifiedUser: transfer.lastModifiedUser,
    expirationTime: transfer.expirationTime,
    acceptedTime: transfer.acceptedTime,
    completedTime: transfer.completedTime,
    notificationErrors: transfer.notificationErrors ?? [],
    links: { self: { uri: transferPath(transfer.customerTenantId, transfer.id), method: 'GET' } },
  };
}

/** The full transfer, as create, get, update and cancel return it. */
export function transferRepresentation(transfer: Transfer) {
  return {
    ...headerFields(transfer),
    lineItems: transfer.lineItems.map(lineItemRepresentation),
    progress: transferProgress(transfer),
  };
}

/** A listing entry: no line items (fetch the transfer for those), but their count. */
export function transferSummaryRepresentation(header: TransferHeader) {
  return { ...headerFields(header), lineItemCount: header.lineItemCount };
}

/**
 * What submit answers (202): the header as the acceptance stored it, with the line item count and the progress at
 * acceptance. Built from the header alone, so its cost does not depend on the number of line items.
 */
export function submittedTransferRepresentation(accepted: TransferHeader) {
  // The progress is known from the count only at the moment of acceptance (see progressAtAcceptance).
  if (accepted.status !== 'Accepted') {
    throw new Error(`The submit answer describes an acceptance, not a ${accepted.status} transfer`);
  }
  return {
    ...transferSummaryRepresentation(accepted),
    status: accepted.status,
    progress: progressAtAcceptance(accepted.lineItemCount),
  };
}

export type TransferRepresentation = ReturnType<typeof transferRepresentation>;
