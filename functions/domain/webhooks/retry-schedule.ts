// When a failed webhook delivery is tried again: the Standard Webhooks schedule (immediately, then after 5 s, 5 min,
// 30 min, 2 h, 5 h, 10 h and 10 h: 8 attempts over about 27.6 hours), each pause with +-20 % jitter so that many
// endpoints failing together do not retry in lockstep. After the last attempt fails the delivery is Failed.

/** Pause before attempt n+1 after attempt n failed (index 0 = after the first attempt). */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

export const JITTER_FRACTION = 0.2;

/** The schedule's total span without jitter: at least 24 h, as the contract promises. */
export const totalRetrySpanSeconds = (delays: readonly number[] = DEFAULT_RETRY_DELAYS_SECONDS): number =>
  delays.reduce((sum, delay) => sum + delay, 0);

export type NextAttempt = { retry: true; delaySeconds: number } | { retry: false };

/**
 * After `attemptsInCycle` failed attempts: retry after the scheduled pause with jitter (whole seconds, so a queue
 * can take it as a visibility timeout), or give up. `random` is in [0, 1).
 */
export function nextAttemptAfterFailure(
  attemptsInCycle: number,
  delays: readonly number[] = DEFAULT_RETRY_DELAYS_SECONDS,
  random: () => number = Math.random,
): NextAttempt {
  const base = delays[attemptsInCycle - 1];
  if (base === undefined || attemptsInCycle < 1) return { retry: false };
  const factor = 1 + JITTER_FRACTION * (2 * random() - 1);
  return { retry: true, delaySeconds: Math.max(0, Math.round(base * factor)) };
}

/** The most attempts one cycle makes. */
export const attemptsPerCycle = (delays: readonly number[] = DEFAULT_RETRY_DELAYS_SECONDS): number =>
  delays.length + 1;
