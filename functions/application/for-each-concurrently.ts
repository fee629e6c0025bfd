// Bounded concurrency for per-item storage calls: a transfer may have 1,000 line items, and neither one call at a
// time nor all at once is right.

/** Runs `action` over `items` with at most `limit` in flight; the first failure rejects. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  action: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await action(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
