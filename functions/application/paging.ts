// Paging as every listing port uses it: opaque continuation tokens and one default page size.

/** One page of a listing. `continuationToken` is opaque; absent when there is nothing more. */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

/** The one default page size: a listing asked for without a limit, over HTTP or from storage. */
export const DEFAULT_PAGE_LIMIT = 25;
/** The most items one storage page holds (the API allows fewer: MAX_API_PAGE_LIMIT). */
export const MAX_STORAGE_PAGE_LIMIT = 1_000;

export interface PageRequest {
  /** 1..MAX_STORAGE_PAGE_LIMIT, default DEFAULT_PAGE_LIMIT. */
  limit?: number;
  continuationToken?: string;
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
