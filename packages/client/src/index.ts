// @partner-transfers/client: the typed client of the partner-transfers API.
export {
  type CallOptions,
  type ClientOptions,
  createPartnerTransfersClient,
  type ListOptions,
  type PartnerTransfersClient,
  type StatusFilter,
  type WriteOptions,
} from './client.ts';
export { ApiError, type ApiErrorDetail, ApiUnreachableError } from './errors.ts';
export type { components, operations, paths } from './generated/api.ts';
export type { Page, PagedListing } from './paging.ts';
export type { RetryOptions } from './retry-policy.ts';
export { newRequestId, type RetryEvent, type TokenProvider, type TransportOptions } from './transport.ts';
export * from './types.ts';
export type { WaitForTransferOptions } from './wait-for-transfer.ts';
