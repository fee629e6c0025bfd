// Which URLs may receive webhooks. On AWS (and LocalStack deployments): https only, and never a host that is or
// resolves to a private, loopback, link-local, metadata or otherwise non-public address (checked when the endpoint
// is saved and again on every delivery, against the address actually connected to). In the local cloud: also
// http://127.0.0.1 / http://localhost (and [::1]), so a partner can try webhooks on a laptop.
import ipaddr from 'ipaddr.js';

export const MAX_ENDPOINT_URL_LENGTH = 2_048;

export type UrlPolicy = 'public-https' | 'local-cloud';

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Only addresses in the public unicast range may be called on AWS (ipaddr.js names every other range). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** The literal IP in a URL host, without IPv6 brackets; undefined for a host name. */
function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
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
