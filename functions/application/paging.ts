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
