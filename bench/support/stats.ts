// Small statistics and formatting helpers shared by every benchmark.

/** The q-quantile (0..1) of the values, by linear interpolation between the closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** measured / floor, or NaN when the floor is zero or missing. */
export const ratio = (measured: number, floor: number): number =>
  floor > 0 && Number.isFinite(floor) ? measured / floor : Number.NaN;

/** Fixed decimals, or 'n/a' for NaN / infinities. */
export function fixed(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

export const formatRatio = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** US dollars with enough significant digits for sub-cent amounts. */
export function formatUsd(amount: number): string {
  if (amount === 0) return '$0';
  if (amount >= 0.01) return `$${amount.toFixed(4)}`;
  return `$${amount.toPrecision(3)}`;
}

/** Least-squares line through the points: value = intercept + slope * x. */
export function linearFit(points: readonly { x: number; y: number }[]): { intercept: number; slope: number } {
  const n = points.length;
  if (n === 0) return { intercept: Number.NaN, slope: Number.NaN };
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: meanY - slope * meanX, slope };
}
