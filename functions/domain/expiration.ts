// The acceptance window: how long the source has to submit before the transfer expires.

export const DEFAULT_ACCEPTANCE_WINDOW_DAYS = 30;

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Fractional days are allowed so that tests and sandboxes can use windows of minutes. */
export function acceptanceWindowMs(windowDays: number = DEFAULT_ACCEPTANCE_WINDOW_DAYS): number {
  if (!Number.isFinite(windowDays) || windowDays <= 0) {
    throw new RangeError(`The acceptance window must be a positive number of days, got ${windowDays}.`);
  }
  return Math.round(windowDays * MS_PER_DAY);
}

/** Whole seconds, rounded up, for the workflow's wait timeout: it must never fire before expirationTime. */
export function acceptanceWindowSeconds(windowDays: number = DEFAULT_ACCEPTANCE_WINDOW_DAYS): number {
  return Math.ceil(acceptanceWindowMs(windowDays) / 1000);
}

export function expirationTimeFor(
  createdTime: string | Date,
  windowDays: number = DEFAULT_ACCEPTANCE_WINDOW_DAYS,
): string {
  const created = typeof createdTime === 'string' ? Date.parse(createdTime) : createdTime.getTime();
  if (Number.isNaN(created)) throw new RangeError(`Not a timestamp: ${String(createdTime)}`);
  return new Date(created + acceptanceWindowMs(windowDays)).toISOString();
}

/** The window is half-open: at exactly expirationTime the transfer can no longer be accepted. */
export function isPastExpiration(transfer: { expirationTime: string }, now: Date): boolean {
  return now.getTime() >= Date.parse(transfer.expirationTime);
}
