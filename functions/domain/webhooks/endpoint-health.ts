// When an endpoint is switched off for failing: every delivery to it has failed for five days in a row. A success
// clears the failing streak; the partner's admins are emailed once, when the endpoint is disabled.
import type { WebhookEndpoint } from './model.ts';

export const AUTO_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/** The failing streak after an attempt that failed at `now`: its start is kept, or starts now. */
export function failingSinceAfterFailure(endpoint: Pick<WebhookEndpoint, 'failingSince'>, now: Date): string {
  return endpoint.failingSince ?? now.toISOString();
}

/** True when an enabled endpoint has failed every delivery for at least five days. */
export function shouldAutoDisable(
  endpoint: Pick<WebhookEndpoint, 'failingSince' | 'disabled'>,
  now: Date,
  thresholdMs: number = AUTO_DISABLE_AFTER_MS,
): boolean {
  if (endpoint.disabled || endpoint.failingSince === undefined) return false;
  return now.getTime() - Date.parse(endpoint.failingSince) >= thresholdMs;
}
