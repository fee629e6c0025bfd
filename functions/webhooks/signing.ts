// Standard Webhooks signing (standardwebhooks.com): HMAC-SHA256 with the secret's key (the base64 after `whsec_`) over
// `id.timestamp.body`, `v1,<base64>`. Node's crypto computes it, as the reference `standardwebhooks` library does in
// JavaScript (which the tests check it against byte for byte), so no bundle carries that library. While a rotated-out
// secret is inside its overlap the header carries one signature per secret (space-separated, as the specification
// allows), so receivers holding either secret verify.
import { createHmac, randomBytes } from 'node:crypto';
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

/** The HMAC key of a secret: the bytes its base64 part (after `whsec_`) encodes; refused unless canonical base64. */
function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0 || key.toString('base64') !== encoded) {
    throw new Error('A webhook secret is whsec_ and non-empty base64');
  }
  return key;
}

/** One `v1,<base64>` signature of `id.timestamp.body` (timestamp in seconds). */
export function sign(secret: string, webhookId: string, sentAt: Date, body: string): string {
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const mac = createHmac('sha256', signingKey(secret)).update(`${webhookId}.${timestamp}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
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
  const signature = secrets.map((secret) => sign(secret, webhookId, sentAt, body)).join(' ');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signature,
    'content-type': 'application/json',
  };
}
