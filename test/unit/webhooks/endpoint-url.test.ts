// Which URLs may receive webhooks: https with a public host on AWS; loopback http only in the local cloud; never an
// internal address, whether written literally or behind a host name (the sender checks the connected address).
import { describe, expect, it } from 'vitest';
import { createWebhookHttpSender } from '#adapters/webhook-http-sender.ts';
import { checkEndpointUrl, isPublicAddress } from '#domain/webhooks/endpoint-url.ts';

describe('webhook endpoint URLs', () => {
  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '::1',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])('treats %s as not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])('treats %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['http://partner.example/hooks', 'must be https://'],
    ['https://169.254.169.254/latest/meta-data', 'must not point to a private'],
    ['https://[::1]/hooks', 'must not point to a private'],
    ['https://10.1.2.3/hooks', 'must not point to a private'],
    ['https://localhost/hooks', 'must name a public host'],
    ['https://metadata.google.internal/', 'must name a public host'],
    ['https://intranet/hooks', 'must name a public host'],
    ['https://user:pass@partner.example/hooks', 'must not contain credentials'],
    ['not a url', 'must be an absolute URL'],
  ])('refuses %s on AWS', (url, reason) => {
    const verdict = checkEndpointUrl(url, 'public-https');
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('accepts a public https URL on AWS, and loopback http only in the local cloud', () => {
    expect(checkEndpointUrl('https://billing.partner.example/hooks?x=1', 'public-https').ok).toBe(true);
    for (const url of ['http://127.0.0.1:9999/hooks', 'http://localhost:8080/', 'http://[::1]:8080/']) {
      expect(checkEndpointUrl(url, 'local-cloud').ok, url).toBe(true);
      expect(checkEndpointUrl(url, 'public-https').ok, url).toBe(false);
    }
    expect(checkEndpointUrl('http://partner.example/', 'local-cloud').ok).toBe(false);
  });

  it('refuses at delivery time a URL that names an internal address, without connecting', async () => {
    const sender = createWebhookHttpSender('public-https');
    const literal = await sender.send({ url: 'https://127.0.0.1:1/hooks', headers: {}, body: '{}' });
    expect(literal).toMatchObject({ delivered: false, error: expect.stringContaining('Refused URL') });
    // localhost passes the URL check's name rules only in the local cloud; on AWS the check refuses it first.
    const named = await sender.send({ url: 'https://localhost/hooks', headers: {}, body: '{}' });
    expect(named.delivered).toBe(false);
  });
});
