// The documented retry schedule: 8 attempts over at least 24 hours, each pause within +-20 % jitter of its base.
import { describe, expect, it } from 'vitest';
import {
  attemptsPerCycle,
  DEFAULT_RETRY_DELAYS_SECONDS,
  JITTER_FRACTION,
  nextAttemptAfterFailure,
  totalRetrySpanSeconds,
} from '#domain/webhooks/retry-schedule.ts';

describe('webhook retry schedule', () => {
  it('keeps trying for at least 24 hours, with exponentially growing pauses', () => {
    expect(totalRetrySpanSeconds() * (1 - JITTER_FRACTION)).toBeGreaterThanOrEqual(24 * 3600 * 0.8);
    expect(totalRetrySpanSeconds()).toBeGreaterThanOrEqual(24 * 3600);
    expect(attemptsPerCycle()).toBe(8);
    const delays = [...DEFAULT_RETRY_DELAYS_SECONDS];
    expect(delays.slice(0, 5).every((delay, index) => index === 0 || delay > (delays[index - 1] ?? 0))).toBe(
      true,
    );
  });

  it('jitters each pause within 20 % of its base and gives up after the last attempt', () => {
    DEFAULT_RETRY_DELAYS_SECONDS.forEach((base, index) => {
      const attempts = index + 1;
      expect(nextAttemptAfterFailure(attempts, undefined, () => 0)).toEqual({
        retry: true,
        delaySeconds: Math.round(base * 0.8),
      });
      expect(nextAttemptAfterFailure(attempts, undefined, () => 0.999_999)).toEqual({
        retry: true,
        delaySeconds: Math.round(base * (1 + 0.2 * (2 * 0.999_999 - 1))),
      });
      expect(nextAttemptAfterFailure(attempts, undefined, () => 0.5)).toEqual({
        retry: true,
        delaySeconds: base,
      });
    });
    expect(nextAttemptAfterFailure(attemptsPerCycle())).toEqual({ retry: false });
    expect(nextAttemptAfterFailure(0)).toEqual({ retry: false });
  });

  it('follows a shortened schedule (what tests of the local cloud use)', () => {
    expect(nextAttemptAfterFailure(1, [0, 0])).toEqual({ retry: true, delaySeconds: 0 });
    expect(nextAttemptAfterFailure(3, [0, 0])).toEqual({ retry: false });
  });
});
