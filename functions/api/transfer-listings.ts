// The transfer listings (a customer's transfers, a partner's inbox or outbox) answer alike: filtered by status, one page
// of transfer summaries, newest first, in the collection envelope whose links repeat the listing's filters.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Page, TransferHeader, TransferListRequest } from '#application/ports.ts';
import type { Caller } from '#domain/model.ts';
import type { ApiResult } from '#shared/http/api-handler.ts';
import {
  collectionBody,
  type ListingQuery,
  pageLimitOrDefault,
  storagePageToken,
  transferStatusFilter,
} from './collections.ts';
import { transferSummaryRepresentation } from './transfer-representation.ts';

export interface TransferListing {
  /** The route's path with its parameters filled in. */
  path: string;
  /** The listing's own filters besides status and limit, for the links. */
  filters?: ListingQuery;
}

/** The status filter and page of the request, read with `list` (only after the filter is known to be valid). */
export async function transferSummaryCollection(
  request: {
    caller: Pick<Caller, 'tenantId'>;
    event: APIGatewayProxyEvent;
    query: { limit?: number | undefined; continuationToken?: string | undefined };
  },
  listing: TransferListing,
  list: (page: TransferListRequest) => Promise<Page<TransferHeader>>,
): Promise<ApiResult> {
  const { caller, event, query } = request;
  const status = transferStatusFilter(event);
  const limit = pageLimitOrDefault(query.limit);
  const listingRequest = {
    tenantId: caller.tenantId,
    path: listing.path,
    query: { ...listing.filters, status: status?.join(','), limit },
    continuationToken: query.continuationToken,
  };
  const continuationToken = storagePageToken(listingRequest);
  const page = await list({
    limit,
    ...(status ? { status } : {}),
    ...(continuationToken !== undefined ? { continuationToken } : {}),
  });
  return {
    statusCode: 200,
    body: collectionBody({ ...page, items: page.items.map(transferSummaryRepresentation) }, listingRequest),
  };
}
