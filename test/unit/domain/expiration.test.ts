import { describe, expect, it } from 'vitest';
import {
  acceptanceWindowMs,
  acceptanceWindowSeconds,
  DEFAULT_ACCEPTANCE_WINDOW_DAYS,
  expirationTimeFor,
  isPastExpiration,
} from '#domain/expiration.ts';

describe('acceptance window', () => {
  it('defaults to 30 days', () => {
    expect(DEFAULT_ACCEPTANCE_WINDOW_DAYS).toBe(30);
    expect(expirationTimeFor('2026-01-01T00:00:00.000Z')).toBe('2026-01-31T00:00:00.000Z');
  });

  it.each([
    ['2026-02-20T10:30:00.000Z', 14, '2026-03-06T10:30:00.000Z'],
    ['2026-12-31T23:59:59.999Z', 1, '2027-01-01T23:59:59.999Z'],
    ['2026-01-01T00:00:00.000Z', 1 / 24 / 60, '2026-01-01T00:01:00.000Z'],
  ])('%s + %s days = %s', (created, days, expected) => {
    expect(expirationTimeFor(created, days)).toBe(expected);
    expect(expirationTimeFor(new Date(created), days)).toBe(expected);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a window of %s days', (days) => {
    expect(() => expirationTimeFor('2026-01-01T00:00:00.000Z', days)).toThrow(RangeError);
  });

  it('refuses a created time that is not a timestamp', () => {
    expect(() => expirationTimeFor('yesterday')).toThrow(RangeError);
  });

  it('gives the workflow whole seconds, never shorter than the window', () => {
    expect(acceptanceWindowSeconds()).toBe(30 * 24 * 3600);
    expect(acceptanceWindowSeconds(0.5 / 86_400)).toBe(1);
    expect(acceptanceWindowSeconds(1.5 / 86_400) * 1000).toBeGreaterThanOrEqual(
      acceptanceWindowMs(1.5 / 86_400),
    );
  });

  it('is half-open: at exactly expirationTime the transfer is past it', () => {
    const transfer = { expirationTime: '2026-01-31T00:00:00.000Z' };
    expect(isPastExpiration(transfer, new Date('2026-01-30T23:59:59.999Z'))).toBe(false);
    expect(isPastExpiration(transfer, new Date('2026-01-31T00:00:00.000Z'))).toBe(true);
  });
});
