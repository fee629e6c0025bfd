// How every listing answers: one collection envelope with the page's items, the opaque continuation token and links
// that repeat the request's filters, so a client only ever follows `links.next`. Clients only ever see sealed tokens
// (sealed-continuation-token.ts), bound to their tenant and the listing; the storage's own token stays inside.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Page } from '#application/ports.ts';
import { DEFAULT_PAGE_LIMIT } from '#application/ports.ts';
import type { TransferStatus } from '#domain/model.ts';
import { openContinuationToken, sealContinuationToken } from '#shared/http/sealed-continuation-token.ts';
import { parsePart } from '#shared/http/validation.ts';
import * as z from '#shared/zod.ts';
import { TRANSFER_STATUS_FILTER_SCHEMA } from './schemas/common-schemas.ts';

export interface Link {
  uri: string;
  method: 'GET';
}

export interface Collection<Item> {
  totalCount: number;
  items: Item[];
  continuationToken?: string;
  links: { self: Link; next?: Link };
}

/** Query values that define the listing (filters, limit); undefined ones are left out of the links. */
export type ListingQuery = Record<string, string | number | undefined>;

function linkTo(path: string, query: ListingQuery, continuationToken: string | undefined): Link {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.set(name, String(value));
  }
  if (continuationToken !== undefined) search.set('continuationToken', continuationToken);
  const text = search.toString();
  return { uri: text === '' ? path : `${path}?${text}`, method: 'GET' };
}

/** One request for a page of a listing, as the client made it. */
export interface ListingRequest {
  /** The caller's tenant: a continuation token opens only for it. */
  tenantId: string;
  /** The route's path with its parameters filled in (relative, like every link the API writes). */
  path: string;
  /** The listing's normalised filters and limit, without the continuation token. */
  query: ListingQuery;
  /** The sealed token the client sent, if any. */
  continuationToken?: string | undefined;
}

const scopeOf = (listing: ListingRequest) => ({
  tenantId: listing.tenantId,
  path: listing.path,
  filters: listing.query,
});

/** The storage's token inside the client's token (undefined for the first page); a 400 for a token not theirs. */
export function storagePageToken(listing: ListingRequest): string | undefined {
  return listing.continuationToken === undefined
    ? undefined
    : openContinuationToken(listing.continuationToken, scopeOf(listing));
}

/** The envelope for one page read with `storagePageToken(listing)`; the next page's token is sealed for the caller. */
export function collectionBody<Item>(page: Page<Item>, listing: ListingRequest): Collection<Item> {
  const next =
    page.continuationToken === undefined
      ? undefined
      : sealContinuationToken(page.continuationToken, scopeOf(listing));
  return {
    totalCount: page.items.length,
    items: page.items,
    ...(next !== undefined ? { continuationToken: next } : {}),
    links: {
      self: linkTo(listing.path, listing.query, listing.continuationToken),
      ...(next !== undefined ? { next: linkTo(listing.path, listing.query, next) } : {}),
    },
  };
}

export const pageLimitOrDefault = (limit: number | undefined): number => limit ?? DEFAULT_PAGE_LIMIT;

/** Every value of a query parameter: API Gateway keeps repeated ones in multiValueQueryStringParameters. */
export function repeatedQueryValues(event: APIGatewayProxyEvent, name: string): string[] {
  const many = event.multiValueQueryStringParameters?.[name];
  if (many && many.length > 0) return many;
  const one = event.queryStringParameters?.[name];
  return one === undefined ? [] : [one];
}

const STATUS_FILTER_QUERY = z.object({ status: TRANSFER_STATUS_FILTER_SCHEMA });

/** `status=Active,Accepted` and `status=Active&status=Accepted` alike; a bad value is a 400 naming query.status. */
export function transferStatusFilter(event: APIGatewayProxyEvent): TransferStatus[] | undefined {
  const values = repeatedQueryValues(event, 'status');
  if (values.length === 0) return undefined;
  return parsePart('query', STATUS_FILTER_QUERY, { status: values.join(',') }).status;
}
