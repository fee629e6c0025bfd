// Names for the generated types that callers use; the generated file has them only as deep paths.
import type { components, operations } from './generated/api.ts';

type JsonResponse<Operation extends keyof operations, Status extends number> = operations[Operation] extends {
  responses: { [S in Status]: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
type JsonRequest<Operation extends keyof operations> = operations[Operation] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
type ItemOf<Collection> = Collection extends { items: (infer Item)[] } ? Item : never;

export type Transfer = components['schemas']['Transfer'];
export type TransferStatus = Transfer['status'];
export type TransferLineItem = Transfer['lineItems'][number];
export type TransferProgress = Transfer['progress'];
export type TransferSummary = ItemOf<JsonResponse<'listPartnerTransfers', 200>>;
/** What submitTransfer answers (202): the accepted transfer without its line items, with their count and progress. */
export type SubmittedTransfer = components['schemas']['SubmittedTransfer'];
export type TransferDirection = NonNullable<
  operations['listPartnerTransfers']['parameters']['query']
>['direction'];
export type CreateTransferRequest = JsonRequest<'createTransfer'>;
export type UpdateTransferRequest = JsonRequest<'updateTransfer'>;
export type LineItemRequest = NonNullable<UpdateTransferRequest['lineItems']>[number];
export type SubscriptionEligibility = JsonResponse<'getSubscriptionTransferEligibility', 200>;
export type Subscription = ItemOf<JsonResponse<'listCustomerSubscriptions', 200>>;
export type Relationship = ItemOf<JsonResponse<'listRelationships', 200>>;
export type CustomerPartner = ItemOf<JsonResponse<'listCustomerPartners', 200>>;
export type AuditRecord = ItemOf<JsonResponse<'listAuditRecords', 200>>;
export type PartnerProfile = JsonResponse<'getOwnPartnerProfile', 200>;
export type ErrorBody = components['schemas']['Error'];

/** Statuses a transfer never leaves. */
export const TERMINAL_TRANSFER_STATUSES = [
  'Complete',
  'CompletedWithErrors',
  'Canceled',
  'Expired',
] as const satisfies readonly TransferStatus[];

export function isTerminalTransferStatus(status: TransferStatus): boolean {
  return (TERMINAL_TRANSFER_STATUSES as readonly TransferStatus[]).includes(status);
}
