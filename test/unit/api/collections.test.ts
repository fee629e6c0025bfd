// The listing helpers: the collection envelope and its links, repeated status filters, and pages filtered in the
// handler that still list every matching item exactly once.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Page, PageRequest } from '#adapters/ports.ts';
import { collectionBody, collectMatchingPage, transferStatusFilter } from '#api/collections.ts';
import { ApiError } from '#shared/http/api-error.ts';

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
  it('links the next page with the same filters and the new token', () => {
    const body = collectionBody(
      { items: ['a', 'b'], continuationToken: 'tok/en' },
      {
        path: '/v1/transfers',
        query: { direction: 'incoming', status: 'Active,Accepted', limit: 2, to: undefined },
      },
    );
    expect(body).toEqual({
      totalCount: 2,
      items: ['a', 'b'],
      continuationToken: 'tok/en',
      links: {
        self: { uri: '/v1/transfers?direction=incoming&status=Active%2CAccepted&limit=2', method: 'GET' },
        next: {
          uri: '/v1/transfers?direction=incoming&status=Active%2CAccepted&limit=2&continuationToken=tok%2Fen',
          method: 'GET',
        },
      },
    });
  });

  it('has no next link on the last page', () => {
    const body = collectionBody(
      { items: [] },
      { path: '/v1/relationships', query: {}, continuationToken: 'x' },
    );
    expect(body).toEqual({
      totalCount: 0,
      items: [],
      links: { self: { uri: '/v1/relationships?continuationToken=x', method: 'GET' } },
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
