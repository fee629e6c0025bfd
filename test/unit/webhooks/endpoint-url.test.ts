// Which URLs may receive webhooks: https with a public host on AWS; loopback http only in the local cloud; never an
// internal address, whether written literally or behind a host name (the sender checks the connected address).
import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
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

  describe('isPublicAddress judges every address as ipaddr.js 2.5 does (public unicast)', () => {
    const reference = (address: string): boolean => {
      let parsed = ipaddr.parse(address);
      if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
        parsed = (parsed as ipaddr.IPv6).toIPv4Address();
      }
      return parsed.range() === 'unicast';
    };

    // The same verdict as the library, except in the deprecated IPv4-compatible ::/96, which is never public here.
    const compatible = new BlockList();
    compatible.addSubnet('::', 96, 'ipv6');
    const ipv4Compatible = (candidate: string) =>
      isIP(candidate) === 6 && compatible.check(candidate, 'ipv6');
    const agrees = (candidate: string) =>
      ipv4Compatible(candidate)
        ? !isPublicAddress(candidate)
        : isPublicAddress(candidate) === reference(candidate);

    // Every special range the library names, with the addresses at and just beyond both of its ends.
    const edges = (kind: 'ipv4' | 'ipv6'): string[] => {
      const bits = kind === 'ipv4' ? 32n : 128n;
      const all = (1n << bits) - 1n;
      const toBig = (address: ipaddr.IPv4 | ipaddr.IPv6) =>
        address.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
      const fromBig = (value: bigint) => {
        const bytes = Array.from({ length: Number(bits / 8n) }, (_, index) =>
          Number((value >> (bits - 8n * BigInt(index + 1))) & 255n),
        );
        return ipaddr.fromByteArray(bytes).toString();
      };
      const prototype = (kind === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).prototype as unknown as {
        SpecialRanges: object;
      };
      const ranges = Object.values(prototype.SpecialRanges).flatMap(
        (entry) => (Array.isArray((entry as unknown[])[0]) ? entry : [entry]) as [ipaddr.IPv4, number][],
      );
      expect(ranges.length).toBeGreaterThan(kind === 'ipv4' ? 15 : 20);
      return ranges.flatMap(([network, prefix]) => {
        const first = toBig(network);
        const last = first | (all >> BigInt(prefix));
        return [first - 1n, first, first + 1n, last - 1n, last, last + 1n]
          .filter((value) => value >= 0n && value <= all)
          .map(fromBig);
      });
    };

    it('at both ends of every IPv4 and IPv6 range, and IPv4-mapped', () => {
      const addresses = [...edges('ipv4'), ...edges('ipv6')];
      for (const address of [...addresses, ...edges('ipv4').map((v4) => `::ffff:${v4}`)]) {
        expect(agrees(address), address).toBe(true);
      }
    });

    it('for any IPv4, IPv6 or IPv4-mapped address', () => {
      const address = fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.ipV4().map((v4) => `::ffff:${v4}`),
        // Inside or near the special prefixes, where a mistake would hide.
        fc
          .tuple(
            fc.constantFrom(
              '2001:',
              '2001:0:',
              '2001:1f:',
              '64:ff9b:',
              '2002:',
              'fe',
              'fc',
              '5f00:',
              '3fff:',
            ),
            fc.ipV6(),
          )
          .map(([prefix, tail]) => `${prefix}${tail.replace(/^[^:]*:/, '')}`)
          .filter((candidate) => ipaddr.IPv6.isValid(candidate)),
      );
      fc.assert(
        fc.property(address, (candidate) => agrees(candidate)),
        { numRuns: 5_000 },
      );
    });

    it('is stricter only for forms no resolver or socket gives, and IPv4-compatible addresses: never public', () => {
      for (const address of [
        '127.1',
        '0x7f.0.0.1',
        '010.0.0.1',
        '8.8.8.010',
        '134744072',
        'fe80::1%eth0',
        '',
      ]) {
        expect(isPublicAddress(address), address).toBe(false);
      }
      expect(isPublicAddress('2001:4860:4860::8888%eth0')).toBe(false);
    });
  });
});
