// The listing helpers: the collection envelope and its links, repeated status filters, and pages filtered in the
// handler that still list every matching item exactly once.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectionBody, storagePageToken, transferStatusFilter } from '#api/collections.ts';
import { collectMatchingPage } from '#application/paging.ts';
import type { Page, PageRequest } from '#application/ports.ts';
import { InvalidContinuationTokenError } from '#application/storage-errors.ts';
import { ApiError } from '#shared/http/api-error.ts';
import { continuationTokenKey, openContinuationToken } from '#shared/http/sealed-continuation-token.ts';

/** An in-memory listing with the storage's contract: at most `limit` items, an opaque token while more remain. */
function listingOf(items: readonly number[]) {
  let reads = 0;
  const readPage = async (request: PageRequest): Promise<Page<number>> => {
    reads += 1;
    const start = request.continuationToken === undefined ? 0 : Number(request.continuationToken);
    const limit = request.limit ?? 50;
    const end = Math.min(items.length, start + limit);
    return end < items.length
      ? { items: items.slice(start, end), continuationToken: String(end) }
      : { items: items.slice(start, end) };
  };
  return { readPage, reads: () => reads };
}

describe('collectMatchingPage', () => {
  it('lists every matching item exactly once, in order, never more than the limit per page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 2, max: 5 }),
        async (items, limit, modulus) => {
          const { readPage } = listingOf(items);
          const matches = (item: number) => item % modulus === 0;
          const seen: number[] = [];
          let token: string | undefined;
          for (let page = 0; page < 200; page++) {
            const result = await collectMatchingPage(readPage, matches, { limit, continuationToken: token });
            expect(result.items.length).toBeLessThanOrEqual(limit);
            seen.push(...result.items);
            token = result.continuationToken;
            if (token === undefined) break;
          }
          expect(token).toBeUndefined();
          expect(seen).toEqual(items.filter(matches));
        },
      ),
    );
  });

  it('fills a page across several reads when the filter drops items', async () => {
    const { readPage, reads } = listingOf([1, 2, 3, 4, 5, 6, 7, 8]);
    const page = await collectMatchingPage(readPage, (item) => item % 2 === 0, { limit: 3 });
    expect(page.items).toEqual([2, 4, 6]);
    expect(page.continuationToken).toBeDefined();
    expect(reads()).toBeGreaterThan(1);
  });
});

describe('collectionBody', () => {
  const KEY = continuationTokenKey('a test secret of at least thirty-two characters');
  const listing = {
    tenantId: 'a0000000-0000-4000-8000-000000000001',
    path: '/v1/transfers',
    query: { direction: 'incoming', status: 'Active,Accepted', limit: 2, to: undefined },
  };

  beforeAll(() => {
    process.env.CONTINUATION_TOKEN_SECRET = 'a test secret of at least thirty-two characters';
  });

  it('links the next page with the same filters and the sealed token, which opens to the storage token', () => {
    const body = collectionBody({ items: ['a', 'b'], continuationToken: 'tok/en' }, listing);
    const sealed = body.continuationToken ?? '';
    expect(sealed).not.toContain('tok');
    expect(openContinuationToken(sealed, { ...listing, filters: listing.query }, KEY)).toBe('tok/en');
    expect(body).toEqual({
      totalCount: 2,
      items: ['a', 'b'],
      continuationToken: sealed,
      links: {
        self: { uri: '/v1/transfers?direction=incoming&status=Active%2CAccepted&limit=2', method: 'GET' },
        next: {
          uri: `/v1/transfers?direction=incoming&status=Active%2CAccepted&limit=2&continuationToken=${sealed}`,
          method: 'GET',
        },
      },
    });
    // The page size may change between pages; nothing else may.
    expect(
      storagePageToken({ ...listing, query: { ...listing.query, limit: 7 }, continuationToken: sealed }),
    ).toBe('tok/en');
  });

  it.each([
    ['another tenant', { tenantId: 'a0000000-0000-4000-8000-000000000002' }],
    ['another path', { path: '/v1/customers/c/transfers' }],
    ['other filters', { query: { direction: 'outgoing', status: 'Active,Accepted', limit: 2 } }],
    ['one filter more', { query: { ...listing.query, to: '2031-01-01T00:00:00.000Z' } }],
  ])('refuses the token for %s', (_case, change) => {
    const sealed =
      collectionBody({ items: [], continuationToken: 'tok/en' }, listing).continuationToken ?? '';
    expect(() => storagePageToken({ ...listing, ...change, continuationToken: sealed })).toThrow(
      InvalidContinuationTokenError,
    );
  });

  it('refuses an altered token, whichever byte changed', () => {
    const sealed =
      collectionBody({ items: [], continuationToken: 'tok/en' }, listing).continuationToken ?? '';
    const bytes = Buffer.from(sealed, 'base64url');
    for (let index = 0; index < bytes.length; index++) {
      const altered = Buffer.from(bytes);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      expect(() =>
        storagePageToken({ ...listing, continuationToken: altered.toString('base64url') }),
      ).toThrow(InvalidContinuationTokenError);
    }
    for (const garbage of ['x', 'not a token', sealed.slice(0, 20), `${sealed}AA`]) {
      expect(() => storagePageToken({ ...listing, continuationToken: garbage })).toThrow(
        InvalidContinuationTokenError,
      );
    }
  });

  it('has no next link on the last page', () => {
    const body = collectionBody({ items: [] }, { ...listing, path: '/v1/relationships', query: {} });
    expect(body).toEqual({
      totalCount: 0,
      items: [],
      links: { self: { uri: '/v1/relationships', method: 'GET' } },
    });
  });
});

describe('transferStatusFilter', () => {
  const event = (single: Record<string, string> | null, multi: Record<string, string[]> | null) =>
    ({
      queryStringParameters: single,
      multiValueQueryStringParameters: multi,
    }) as unknown as APIGatewayProxyEvent;

  it('reads comma-separated and repeated values, without duplicates', () => {
    expect(transferStatusFilter(event(null, null))).toBeUndefined();
    expect(transferStatusFilter(event({ status: 'Active,Expired' }, null))).toEqual(['Active', 'Expired']);
    expect(
      transferStatusFilter(event({ status: 'Active' }, { status: ['Complete, Active', 'Active'] })),
    ).toEqual(['Complete', 'Active']);
  });

  it('refuses an unknown status naming its position', () => {
    try {
      transferStatusFilter(event({ status: 'x' }, { status: ['Active', 'Pending'] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).statusCode).toBe(400);
      expect((error as ApiError).details[0]?.field).toBe('query.status.1');
    }
  });
});
