// Which URLs may receive webhooks. On AWS (and LocalStack deployments): https only, and never a host that is or
// resolves to a private, loopback, link-local, metadata or otherwise non-public address (checked when the endpoint
// is saved and again on every delivery, against the address actually connected to). In the local cloud: also
// http://127.0.0.1 / http://localhost (and [::1]), so a partner can try webhooks on a laptop.
import { BlockList, isIP } from 'node:net';

export const MAX_ENDPOINT_URL_LENGTH = 2_048;

export type UrlPolicy = 'public-https' | 'local-cloud';

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Every range that is not public unicast, as ipaddr.js 2.5 names them (the test holds this list to that library, address
 * for address): unspecified, broadcast, multicast, link-local, loopback, carrier-grade NAT, private, reserved and
 * documentation, AS112, AMT; for IPv6 also unique-local, site-local, discard, the translation and tunnelling prefixes
 * (IPv4 embedded in them), ORCHID, drone ids, segment routing. An IPv4-mapped IPv6 address is judged by the IPv4 rules
 * (node:net's BlockList does that itself); any other address in no range is public. One range more than the library:
 * the deprecated IPv4-compatible ::/96 (::10.0.0.1), which the library reads inconsistently (by its IPv4 address when
 * written dotted, as public unicast when written in hex) and which no public host uses.
 */
const NOT_PUBLIC_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['255.255.255.255', 32],
  ['224.0.0.0', 4],
  ['169.254.0.0', 16],
  ['127.0.0.0', 8],
  ['100.64.0.0', 10],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['240.0.0.0', 4],
  ['192.175.48.0', 24],
  ['192.31.196.0', 24],
  ['192.52.193.0', 24],
];

const NOT_PUBLIC_IPV6: readonly (readonly [string, number])[] = [
  ['::', 96],
  ['::', 128],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::1', 128],
  ['fc00::', 7],
  ['fec0::', 10],
  ['100::', 64],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['2001::', 32],
  ['2001:2::', 48],
  ['2001:3::', 32],
  ['2001:4:112::', 48],
  ['2620:4f:8000::', 48],
  ['2001:10::', 28],
  ['2001:20::', 28],
  ['2001:30::', 28],
  ['5f00::', 16],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
];

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of NOT_PUBLIC_IPV4) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of NOT_PUBLIC_IPV6) NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Only addresses in the public unicast range may be called on AWS; anything that is not an IP address is not. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  // A zone index (fe80::1%eth0) only ever qualifies a local address.
  if (version === 0 || address.includes('%')) return false;
  return !NOT_PUBLIC.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** The literal IP in a URL host, without IPv6 brackets; undefined for a host name. */
function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

/** The checks that need no DNS: scheme, credentials, length, literal addresses and well-known internal names. */
export function checkEndpointUrl(text: string, policy: UrlPolicy): UrlVerdict {
  if (text.length > MAX_ENDPOINT_URL_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_ENDPOINT_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'must not contain credentials' };
  if (url.hash !== '') return { ok: false, reason: 'must not contain a fragment' };
  const host = url.hostname.toLowerCase();
  if (policy === 'local-cloud' && url.protocol === 'http:' && LOOPBACK_HOSTS.has(host))
    return { ok: true, url };
  if (url.protocol !== 'https:') {
    return {
      ok: false,
      reason:
        policy === 'local-cloud'
          ? 'must be https://, or http://127.0.0.1 / http://localhost in the local cloud'
          : 'must be https://',
    };
  }
  if (policy === 'local-cloud') return { ok: true, url };
  const address = literalAddress(host);
  if (address !== undefined && !isPublicAddress(address)) {
    return { ok: false, reason: 'must not point to a private, loopback, link-local or metadata address' };
  }
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal') ||
    !host.includes('.')
  ) {
    return { ok: false, reason: 'must name a public host' };
  }
  return { ok: true, url };
}
