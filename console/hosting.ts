// How the console is hosted, shared by the CDK stack and the local cloud so both serve it the same way: the
// runtime configuration it reads at start (/config.json) and the security headers, whose Content-Security-Policy
// lets the page talk to its own origin, the API and the identity provider, and nothing else.

/** What the console reads from /config.json: deployment settings, never baked into the bundle. */
export interface ConsoleConfig {
  /** The API's base URL, without /v1 and without a trailing slash. */
  apiUrl: string;
  /** The OpenID provider's issuer identifier. */
  authority: string;
  /** Where its discovery document is, when not at `${authority}/.well-known/openid-configuration`. */
  metadataUrl?: string;
  clientId: string;
  /** Scopes to ask for, e.g. "openid profile transfers". */
  scope: string;
  /** Extra authorization request parameters (e.g. `audience` or `resource` for the IdP). */
  extraQueryParams?: Record<string, string>;
}

export const CONSOLE_CONFIG_PATH = '/config.json';

/** `connectOrigins`: the API's and the identity provider's origins (scheme://host[:port]), nothing else. */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  const connect = [...new Set(["'self'", ...connectOrigins])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Headers for every console response (CloudFront's response headers policy sets the same set). */
export function consoleSecurityHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
  };
}
