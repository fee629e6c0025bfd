// How long after acceptance line items may still move (the reference system promises at most 72 hours). The ASL
// loader bounds the per-item retries by it; the reconciler finalises transfers that outlive it.
export const MOVE_WINDOW_HOURS = 72;
export const MOVE_WINDOW_MS = MOVE_WINDOW_HOURS * 3_600_000;
