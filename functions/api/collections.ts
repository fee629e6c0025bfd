// How every listing answers: one collection envelope with the page's items, the opaque continuation token and links
// that repeat the request's filters, so a client only ever follows `links.next`.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import type { Page, PageRequest } from '#adapters/ports.ts';
import type { TransferStatus } from '#domain/model.ts';
import { parsePart } from '#shared/http/validation.ts';
import { DEFAULT_PAGE_LIMIT, TRANSFER_STATUS_FILTER_SCHEMA } from './schemas/common-schemas.ts';

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

/**
 * The envelope for one page. `path` is the route's path with its parameters filled in (relative, like every link the
 * API writes); `query` holds the listing's normalised filters and limit, without the continuation token.
 */
export function collectionBody<Item>(
  page: Page<Item>,
  listing: { path: string; query: ListingQuery; continuationToken?: string | undefined },
): Collection<Item> {
  return {
    totalCount: page.items.length,
    items: page.items,
    ...(page.continuationToken !== undefined ? { continuationToken: page.continuationToken } : {}),
    links: {
      self: linkTo(listing.path, listing.query, listing.continuationToken),
      ...(page.continuationToken !== undefined
        ? { next: linkTo(listing.path, listing.query, page.continuationToken) }
        : {}),
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

/** With a filter the storage cannot apply, a page may need several reads; past this many a shorter page is returned. */
const MAX_READS_PER_PAGE = 20;

/**
 * One page of the items that `matches` keeps, read from an unfiltered listing. Each read asks for no more items than
 * the page still misses, so the storage's continuation token always points right after the last item examined: every
 * matching item is listed exactly once, and no page is longer than `limit`.
 */
export async function collectMatchingPage<Item>(
  readPage: (request: PageRequest) => Promise<Page<Item>>,
  matches: (item: Item) => boolean,
  request: { limit: number; continuationToken?: string | undefined },
): Promise<Page<Item>> {
  const items: Item[] = [];
  let continuationToken = request.continuationToken;
  for (let read = 0; read < MAX_READS_PER_PAGE; read++) {
    const page = await readPage({
      limit: request.limit - items.length,
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    items.push(...page.items.filter(matches));
    continuationToken = page.continuationToken;
    if (continuationToken === undefined || items.length >= request.limit) break;
  }
  return continuationToken === undefined ? { items } : { items, continuationToken };
}
