// A partner only ever learns about the subscriptions it bills: the subscription listings of a customer (with or
// without eligibility) show those and no others; for any other customer the page is simply empty.
import { collectMatchingPage } from '#application/paging.ts';
import type { SubscriptionRepository } from '#application/ports.ts';
import type { Caller, Subscription } from '#domain/model.ts';
import type { ApiResult } from '#shared/http/api-handler.ts';
import { collectionBody, type ListingQuery, pageLimitOrDefault, storagePageToken } from './collections.ts';

export interface SubscriptionListing<Item> {
  /** The route's path with its parameters filled in. */
  path: string;
  /** The listing's own filters besides the limit, for the links. */
  filters?: ListingQuery;
  /** How one subscription appears in the listing. */
  represent: (subscription: Subscription) => Item;
}

/** One page of the customer's subscriptions that the caller bills, in the collection envelope. */
export async function billedSubscriptionCollection<Item>(
  subscriptions: SubscriptionRepository,
  request: {
    caller: Pick<Caller, 'tenantId'>;
    params: { customerId: string };
    query: { limit?: number | undefined; continuationToken?: string | undefined };
  },
  listing: SubscriptionListing<Item>,
): Promise<ApiResult> {
  const { caller, params, query } = request;
  const limit = pageLimitOrDefault(query.limit);
  const listingRequest = {
    tenantId: caller.tenantId,
    path: listing.path,
    query: { ...listing.filters, limit },
    continuationToken: query.continuationToken,
  };
  const page = await collectMatchingPage(
    (pageRequest) => subscriptions.listByCustomer(params.customerId, pageRequest),
    (subscription) => subscription.billingPartnerTenantId === caller.tenantId,
    { limit, continuationToken: storagePageToken(listingRequest) },
  );
  return {
    statusCode: 200,
    body: collectionBody({ ...page, items: page.items.map(listing.represent) }, listingRequest),
  };
}
