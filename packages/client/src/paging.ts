// Listings come in pages `{ items, continuationToken? }`; a PagedListing walks them for the caller, item by item
// (`for await (const item of listing)`) or page by page (`listing.pages()`).

export interface Page<Item> {
  items: Item[];
  continuationToken?: string;
}

export type PageFetcher<Item> = (continuationToken: string | undefined) => Promise<Page<Item>>;

export interface PagedListing<Item> extends AsyncIterable<Item> {
  /** Every page in order; the last one has no continuationToken. */
  pages(): AsyncIterable<Page<Item>>;
  /** Collects the items, stopping after `limit` of them (default: all). */
  toArray(limit?: number): Promise<Item[]>;
}

export function pagedListing<Item>(fetchPage: PageFetcher<Item>): PagedListing<Item> {
  async function* pages(): AsyncGenerator<Page<Item>> {
    let token: string | undefined;
    do {
      const page = await fetchPage(token);
      yield page;
      token = page.continuationToken;
    } while (token);
  }
  async function* items(): AsyncGenerator<Item> {
    for await (const page of pages()) yield* page.items;
  }
  return {
    pages,
    [Symbol.asyncIterator]: items,
    async toArray(limit = Number.POSITIVE_INFINITY) {
      const collected: Item[] = [];
      if (limit <= 0) return collected;
      for await (const item of items()) {
        collected.push(item);
        if (collected.length >= limit) break;
      }
      return collected;
    },
  };
}
