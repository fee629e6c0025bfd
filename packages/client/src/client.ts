// The typed client: one method per API operation on top of the generated types (openapi-fetch), every call through
// the resilient transport, errors thrown as ApiError, listings as async iterators, and waitForTransfer.
import createClient from 'openapi-fetch';
import { apiErrorFrom } from './errors.ts';
import type { paths } from './generated/api.ts';
import { type PagedListing, pagedListing } from './paging.ts';
import { createTransport, newRequestId, type TransportOptions } from './transport.ts';
import type {
  AuditRecord,
  CreateTransferRequest,
  CustomerPartner,
  PartnerProfile,
  Relationship,
  SubmittedTransfer,
  Subscription,
  SubscriptionEligibility,
  Transfer,
  TransferDirection,
  TransferStatus,
  TransferSummary,
  UpdateTransferRequest,
} from './types.ts';
import { type WaitForTransferOptions, waitForTransferStatus } from './wait-for-transfer.ts';

export interface ClientOptions extends TransportOptions {
  /** Where the API lives, without `/v1` (e.g. `http://127.0.0.1:4710`); a trailing `/v1` is tolerated. */
  baseUrl: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Ties this call to others in the logs (default: a new GUID per call). */
  correlationId?: string;
}

export interface WriteOptions extends CallOptions {
  /** MS-RequestId: the same id makes a repeated write act once (default: a new GUID, reused by the retries). */
  requestId?: string;
}

export interface ListOptions extends CallOptions {
  /** Page size (1..100). */
  pageSize?: number;
}

export type StatusFilter = TransferStatus | readonly TransferStatus[];

interface CallHeaders {
  'MS-CorrelationId': string;
  'MS-RequestId'?: string;
}

interface CallResult<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function statusQuery(status: StatusFilter | undefined): string | undefined {
  if (status === undefined) return undefined;
  return typeof status === 'string' ? status : status.join(',');
}

function definedOnly<Query extends Record<string, unknown>>(query: Query): Query {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as Query;
}

export function createPartnerTransfersClient(options: ClientOptions) {
  const transport = createTransport(options);
  const api = createClient<paths>({ baseUrl: apiRoot(options.baseUrl), fetch: transport });

  function headersOf(call: WriteOptions = {}, isWrite = false): CallHeaders {
    return {
      'MS-CorrelationId': call.correlationId ?? newRequestId(),
      ...(isWrite ? { 'MS-RequestId': call.requestId ?? newRequestId() } : {}),
    };
  }

  /** The data of a success, or the ApiError of anything else. */
  function unwrap<Data>(method: string, result: CallResult<Data>, headers: CallHeaders): Data {
    if (result.response.ok && result.error === undefined) return result.data as Data;
    throw apiErrorFrom(result.response, result.error, {
      method,
      url: result.response.url,
      correlationId: headers['MS-CorrelationId'],
      requestId: headers['MS-RequestId'],
    });
  }

  function pageSize(list: ListOptions): string | undefined {
    return list.pageSize === undefined ? undefined : String(list.pageSize);
  }

  const client = {
    /** The generated openapi-fetch client over the same transport, for anything the methods below do not cover. */
    raw: api,

    async getPartner(call: CallOptions = {}): Promise<PartnerProfile> {
      const headers = headersOf(call);
      return unwrap(
        'GET',
        await api.GET('/v1/partner', { params: { header: headers }, signal: call.signal }),
        headers,
      );
    },

    async createTransfer(
      customerId: string,
      body: CreateTransferRequest,
      call: WriteOptions = {},
    ): Promise<Transfer> {
      const headers = headersOf(call, true);
      return unwrap(
        'POST',
        await api.POST('/v1/customers/{customerId}/transfers', {
          params: { path: { customerId }, header: headers },
          body,
          signal: call.signal,
        }),
        headers,
      );
    },

    async getTransfer(customerId: string, transferId: string, call: CallOptions = {}): Promise<Transfer> {
      const headers = headersOf(call);
      return unwrap(
        'GET',
        await api.GET('/v1/customers/{customerId}/transfers/{transferId}', {
          params: { path: { customerId, transferId }, header: headers },
          signal: call.signal,
        }),
        headers,
      );
    },

    async updateTransfer(
      customerId: string,
      transferId: string,
      body: UpdateTransferRequest,
      call: WriteOptions = {},
    ): Promise<Transfer> {
      const headers = headersOf(call, true);
      return unwrap(
        'PATCH',
        await api.PATCH('/v1/customers/{customerId}/transfers/{transferId}', {
          params: { path: { customerId, transferId }, header: headers },
          body,
          signal: call.signal,
        }),
        headers,
      );
    },

    /** Source admin: sets these subscriptions as the line items and accepts, in one call. */
    async acceptTransfer(
      customerId: string,
      transferId: string,
      subscriptionIds: readonly string[],
      call: WriteOptions = {},
    ): Promise<Transfer> {
      return client.updateTransfer(
        customerId,
        transferId,
        { status: 'Accepted', lineItems: subscriptionIds.map((subscriptionId) => ({ subscriptionId })) },
        call,
      );
    },

    /**
     * Source admin: accepts with the line items already set (PATCH with lineItems, or from an earlier call). The
     * answer (202) is the accepted transfer without its line items: their count and progress; getTransfer (or
     * waitForTransfer) for the items as the workflow moves them.
     */
    async submitTransfer(
      customerId: string,
      transferId: string,
      call: WriteOptions = {},
    ): Promise<SubmittedTransfer> {
      const headers = headersOf(call, true);
      return unwrap(
        'POST',
        await api.POST('/v1/customers/{customerId}/transfers/{transferId}/submit', {
          params: { path: { customerId, transferId }, header: headers },
          signal: call.signal,
        }),
        headers,
      );
    },

    /** Target admin: cancels a transfer that is still Active. */
    async cancelTransfer(customerId: string, transferId: string, call: WriteOptions = {}): Promise<Transfer> {
      const headers = headersOf(call, true);
      return unwrap(
        'POST',
        await api.POST('/v1/customers/{customerId}/transfers/{transferId}/cancel', {
          params: { path: { customerId, transferId }, header: headers },
          signal: call.signal,
        }),
        headers,
      );
    },

    /** The caller's inbox (incoming: it is the source) or outbox (outgoing: it is the target), newest first. */
    listTransfers(
      query: { direction: TransferDirection; status?: StatusFilter } & ListOptions,
    ): PagedListing<TransferSummary> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = {
          header: headers,
          query: definedOnly({
            direction: query.direction,
            status: statusQuery(query.status),
            limit: pageSize(query),
            continuationToken,
          }),
        };
        return unwrap('GET', await api.GET('/v1/transfers', { params, signal: query.signal }), headers);
      });
    },

    listCustomerTransfers(
      customerId: string,
      query: { status?: StatusFilter } & ListOptions = {},
    ): PagedListing<TransferSummary> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = {
          path: { customerId },
          header: headers,
          query: definedOnly({
            status: statusQuery(query.status),
            limit: pageSize(query),
            continuationToken,
          }),
        };
        return unwrap(
          'GET',
          await api.GET('/v1/customers/{customerId}/transfers', { params, signal: query.signal }),
          headers,
        );
      });
    },

    /** Whether and why each subscription of the customer that the caller bills can move. */
    listEligibility(
      customerId: string,
      query: { targetProductTypes?: readonly string[] } & ListOptions = {},
    ): PagedListing<SubscriptionEligibility> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = {
          path: { customerId },
          header: headers,
          query: definedOnly({
            targetProductTypes: query.targetProductTypes?.join(','),
            limit: pageSize(query),
            continuationToken,
          }),
        };
        return unwrap(
          'GET',
          await api.GET('/v1/customers/{customerId}/transfer-eligibility', { params, signal: query.signal }),
          headers,
        );
      });
    },

    async getSubscriptionEligibility(
      customerId: string,
      subscriptionId: string,
      call: CallOptions = {},
    ): Promise<SubscriptionEligibility> {
      const headers = headersOf(call);
      return unwrap(
        'GET',
        await api.GET('/v1/customers/{customerId}/subscriptions/{subscriptionId}/transfer-eligibility', {
          params: { path: { customerId, subscriptionId }, header: headers },
          signal: call.signal,
        }),
        headers,
      );
    },

    listSubscriptions(customerId: string, query: ListOptions = {}): PagedListing<Subscription> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = {
          path: { customerId },
          header: headers,
          query: definedOnly({ limit: pageSize(query), continuationToken }),
        };
        return unwrap(
          'GET',
          await api.GET('/v1/customers/{customerId}/subscriptions', { params, signal: query.signal }),
          headers,
        );
      });
    },

    listRelationships(query: ListOptions = {}): PagedListing<Relationship> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = { header: headers, query: definedOnly({ limit: pageSize(query), continuationToken }) };
        return unwrap('GET', await api.GET('/v1/relationships', { params, signal: query.signal }), headers);
      });
    },

    /** The customer's other partners (possible transfer sources), for a partner that serves the customer too. */
    listCustomerPartners(customerId: string, query: ListOptions = {}): PagedListing<CustomerPartner> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = {
          path: { customerId },
          header: headers,
          query: definedOnly({ limit: pageSize(query), continuationToken }),
        };
        return unwrap(
          'GET',
          await api.GET('/v1/customers/{customerId}/partners', { params, signal: query.signal }),
          headers,
        );
      });
    },

    /** The caller partner's audit log, newest first; `from`/`to` are ISO 8601 date-times. */
    listAuditRecords(
      query: { from?: string; to?: string; transferId?: string } & ListOptions = {},
    ): PagedListing<AuditRecord> {
      return pagedListing(async (continuationToken) => {
        const headers = headersOf(query);
        const params = {
          header: headers,
          query: definedOnly({
            from: query.from,
            to: query.to,
            transferId: query.transferId,
            limit: pageSize(query),
            continuationToken,
          }),
        };
        return unwrap('GET', await api.GET('/v1/audit-records', { params, signal: query.signal }), headers);
      });
    },

    /** Finds a transfer by id alone, in the caller's outbox then inbox (the API addresses it under its customer). */
    async findTransfer(transferId: string, call: CallOptions = {}): Promise<TransferSummary | undefined> {
      for (const direction of ['outgoing', 'incoming'] as const) {
        for await (const summary of client.listTransfers({ direction, pageSize: 100, ...call })) {
          if (summary.id === transferId) return summary;
        }
      }
      return undefined;
    },

    /** Polls until the transfer is terminal (or in `until`), calling onProgress on every change. */
    waitForTransfer(
      customerId: string,
      transferId: string,
      wait: WaitForTransferOptions = {},
    ): Promise<Transfer> {
      return waitForTransferStatus(
        (signal) => client.getTransfer(customerId, transferId, signal ? { signal } : {}),
        wait,
      );
    },
  };
  return client;
}

export type PartnerTransfersClient = ReturnType<typeof createPartnerTransfersClient>;
