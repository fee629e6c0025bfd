// The local OpenID provider over HTTP, without a browser: the Authorization Code + PKCE flow a console goes
// through, for the local console and for one deployed elsewhere that `--trusted-console` lets in (LocalStack's),
// ending in an access token the authorizer's issuer, audience and key accept. Unknown consoles are refused.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliOptions } from '#local/cli-options.ts';
import {
  API_SCOPE,
  CONSOLE_CLIENT_ID,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIdentity,
  loadLocalIdentity,
} from '#local/identity.ts';
import { type RunningIdentityProvider, startIdentityProvider } from '#local/identity-provider.ts';
import { SANDBOX_PARTNERS, SANDBOX_TENANTS, SANDBOX_USERS } from '#local/sandbox.ts';

const LOCAL_CONSOLE = 'http://127.0.0.1:4714';
const LOCALSTACK_CONSOLE = 'http://partner-console-files.s3-website.localhost.localstack.cloud:4566';

/** A browser's part of the flow: cookies kept per provider, redirects followed by hand. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(new URL(url, this.base), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects within the provider; returns the first answer that is not one, or a redirect elsewhere. */
  async follow(url: string, init: RequestInit = {}): Promise<Response> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (!location || !new URL(location, this.base).href.startsWith(this.base)) return response;
      response = await this.request(location);
    }
    throw new Error('Too many redirects');
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

async function signInFrom(
  provider: RunningIdentityProvider,
  consoleOrigin: string,
  userId: string,
  scope = `openid profile ${API_SCOPE}`,
): Promise<{ accessToken: string } | { refused: string }> {
  const browser = new Browser(provider.url);
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const redirectUri = `${consoleOrigin}/signed-in`;
  const authorize = new URL('/auth', provider.url);
  authorize.search = new URLSearchParams({
    client_id: CONSOLE_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const loginPage = await browser.follow(authorize.href);
  if (loginPage.status !== 200) return { refused: await loginPage.text() };
  const html = await loginPage.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`No login form in: ${html.slice(0, 200)}`);
  const back = await browser.follow(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ accountId: userId }).toString(),
  });
  const location = new URL(back.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  expect(location.searchParams.get('state')).toBe('state-1');
  const token = await fetch(new URL('/token', provider.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: consoleOrigin },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CONSOLE_CLIENT_ID,
      code: location.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  expect(token.status).toBe(200);
  expect(token.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
  return { accessToken: ((await token.json()) as { access_token: string }).access_token };
}

describe('local OpenID provider', () => {
  let home: string;
  let identity: LocalIdentity;
  let provider: RunningIdentityProvider;
  const admin = SANDBOX_USERS.find(
    (user) => user.tenantId === SANDBOX_TENANTS.contoso && user.role === 'AdminAgent',
  );

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'identity-provider-'));
    identity = await loadLocalIdentity(join(home, 'signing-key.json'));
    const options = parseCliOptions(['--trusted-console', `${LOCALSTACK_CONSOLE}/`], {});
    if (options === 'help') throw new Error('unexpected help');
    provider = await startIdentityProvider({
      host: '127.0.0.1',
      port: 0,
      identity,
      consoleOrigins: [LOCAL_CONSOLE, ...options.trustedConsoleOrigins],
      users: SANDBOX_USERS,
      partners: SANDBOX_PARTNERS,
    });
  });
  afterAll(async () => {
    await provider?.close();
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ['the local console', LOCAL_CONSOLE],
    ['a console trusted with --trusted-console', LOCALSTACK_CONSOLE],
  ])('signs %s in with a token the authorizer accepts', async (_name, origin) => {
    if (!admin) throw new Error('no Contoso admin in the sandbox');
    const result = await signInFrom(provider, origin, admin.userId);
    if (!('accessToken' in result)) throw new Error(`refused: ${result.refused}`);
    const { payload } = await jwtVerify(result.accessToken, createLocalJWKSet(identity.jwks), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
    });
    expect(payload).toMatchObject({ sub: admin.userId, tid: admin.tenantId, roles: ['AdminAgent'] });
  });

  it('refuses a console it was not told to trust', async () => {
    if (!admin) throw new Error('no Contoso admin in the sandbox');
    const result = await signInFrom(provider, 'http://elsewhere.example:8080', admin.userId);
    expect(result).toEqual({ refused: expect.stringContaining('redirect_uri') });
  });

  it('takes trusted consoles from LOCAL_TRUSTED_CONSOLES too, as origins, and refuses a URL that is not one', () => {
    const options = parseCliOptions([], {
      LOCAL_TRUSTED_CONSOLES: `${LOCALSTACK_CONSOLE}/transfers, https://console.example.com`,
    });
    expect(options !== 'help' && options.trustedConsoleOrigins).toEqual([
      LOCALSTACK_CONSOLE,
      'https://console.example.com',
    ]);
    expect(() => parseCliOptions(['--trusted-console', 'console.example.com'], {})).toThrow(
      /trustedConsoleOrigins/,
    );
  });
});
