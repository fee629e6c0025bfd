// What an email template may know: the transfer's facts, who reads it, and the link to the transfer's console page.
// Built from a Transfer, never from the stored record: the workflow's task token cannot reach a template.
import type { Transfer, TransferLineItem } from '#domain/model.ts';
import { type TransferProgress, transferProgress } from '#domain/progress.ts';

export type EmailAudience = 'sourceAdmin' | 'targetAdmin' | 'customer';

export interface LineItemFacts {
  id: string;
  subscriptionId: string;
  friendlyName: string;
  quantity: number;
  productType: string;
  status: TransferLineItem['status'];
  error?: string;
}

export interface TransferEmailFacts {
  audience: EmailAudience;
  transferId: string;
  customerId: string;
  customerName: string;
  sourcePartnerName: string;
  sourcePartnerTenantId: string;
  targetPartnerName: string;
  targetPartnerTenantId: string;
  status: Transfer['status'];
  createdTime: string;
  expirationTime: string;
  completedTime?: string;
  lineItems: LineItemFacts[];
  progress: TransferProgress;
  /** `${CONSOLE_URL}/transfers/{customerId}/{transferId}`: the console's page of the transfer. */
  transferUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function transferPageUrl(consoleUrl: string, customerId: string, transferId: string): string {
  const base = consoleUrl.replace(/\/+$/, '');
  return `${base}/transfers/${encodeURIComponent(customerId)}/${encodeURIComponent(transferId)}`;
}

export function transferEmailFacts(
  transfer: Transfer,
  audience: EmailAudience,
  consoleUrl: string,
): TransferEmailFacts {
  return {
    audience,
    transferId: transfer.id,
    customerId: transfer.customerTenantId,
    customerName: transfer.customerName ?? transfer.customerTenantId,
    sourcePartnerName: transfer.sourcePartnerName,
    sourcePartnerTenantId: transfer.sourcePartnerTenantId,
    targetPartnerName: transfer.targetPartnerName,
    targetPartnerTenantId: transfer.targetPartnerTenantId,
    status: transfer.status,
    createdTime: transfer.createdTime,
    expirationTime: transfer.expirationTime,
    ...(transfer.completedTime === undefined ? {} : { completedTime: transfer.completedTime }),
    lineItems: transfer.lineItems.map((item) => ({
      id: item.id,
      subscriptionId: item.subscriptionId,
      friendlyName: item.friendlyName,
      quantity: item.quantity,
      productType: item.productType,
      status: item.status,
      ...(item.transferError === undefined ? {} : { error: item.transferError.description }),
    })),
    progress: transferProgress(transfer),
    transferUrl: transferPageUrl(consoleUrl, transfer.customerTenantId, transfer.id),
  };
}
