// Our signatures are Standard Webhooks signatures: the reference vector of the specification, verification by the
// reference library, and one signature per secret during a rotation overlap.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, sign, signedHeaders, signingSecrets } from '#webhooks/signing.ts';

// The example of the Standard Webhooks specification (and of every reference library's tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signing', () => {
  it('matches the reference vector of the specification', () => {
    const headers = signedHeaders(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body, [VECTOR.secret]);
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
      'content-type': 'application/json',
    });
  });

  it('verifies with the reference library, and not with another secret or a changed body', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'transfer.created', timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders('event-1', new Date(), body, [secret]);
    expect(new Webhook(secret).verify(body, { ...headers })).toMatchObject({ type: 'transfer.created' });
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
  });

  it('signs with every secret still inside its overlap, and drops expired ones', () => {
    const now = new Date();
    const hoursFromNow = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
    const [current, rotatedOut, expired] = [
      generateWebhookSecret(),
      generateWebhookSecret(),
      generateWebhookSecret(),
    ];
    const secrets = signingSecrets(
      [
        { value: current },
        { value: rotatedOut, expiresAt: hoursFromNow(23) },
        { value: expired, expiresAt: hoursFromNow(-1) },
      ],
      now,
    );
    expect(secrets).toEqual([current, rotatedOut]);
    const body = '{"type":"webhook.test"}';
    const headers = signedHeaders('event-2', now, body, secrets);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(rotatedOut).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(expired).verify(body, { ...headers })).toThrow();
  });

  it('signs byte for byte as the reference library, whatever the body holds', () => {
    const bodies = [
      '',
      '{"test": 2432232314}',
      JSON.stringify({ name: 'Zoë · 東京 · 🚀', quote: '"\\', newline: 'a\nb', lone: '\ud800' }),
      'x'.repeat(100_000),
    ];
    const secrets = [VECTOR.secret, ...Array.from({ length: 20 }, generateWebhookSecret)];
    for (const secret of secrets) {
      for (const body of bodies) {
        for (const sentAt of [new Date(0), new Date(1_614_265_330_999), new Date()]) {
          expect(sign(secret, 'msg_ü-1', sentAt, body)).toBe(
            new Webhook(secret).sign('msg_ü-1', sentAt, body),
          );
        }
      }
    }
  });

  it('refuses a secret without a key in canonical base64 (ours are never such)', () => {
    for (const secret of ['whsec_', 'whsec_not base64!', 'whsec_YWJj*', 'whsec_YWJ']) {
      expect(() => sign(secret, 'id', new Date(), '{}')).toThrow(
        'A webhook secret is whsec_ and non-empty base64',
      );
    }
  });
});
