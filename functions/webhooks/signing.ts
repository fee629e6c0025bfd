// Standard Webhooks signing (standardwebhooks.com) through the reference `standardwebhooks` library: HMAC-SHA256 over
// `id.timestamp.body`, `v1,<base64>`. While a rotated-out secret is inside its overlap the header carries one
// signature per secret (space-separated, as the specification allows), so receivers holding either secret verify.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookSecret } from '#domain/webhooks/model.ts';

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'content-type': 'application/json';
}

/** The secrets that still sign at `now`: the current one and rotated-out ones whose overlap has not ended. */
export function signingSecrets(secrets: readonly WebhookSecret[], now: Date): string[] {
  return secrets
    .filter((secret) => secret.expiresAt === undefined || Date.parse(secret.expiresAt) > now.getTime())
    .map((secret) => secret.value);
}

/** The Standard Webhooks headers for one attempt; `sentAt` becomes `webhook-timestamp` (seconds). */
export function signedHeaders(
  webhookId: string,
  sentAt: Date,
  body: string,
  secrets: readonly string[],
): SignedHeaders {
  if (secrets.length === 0) throw new Error('An endpoint always has a current secret');
  const signature = secrets.map((secret) => new Webhook(secret).sign(webhookId, sentAt, body)).join(' ');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signature,
    'content-type': 'application/json',
  };
}
