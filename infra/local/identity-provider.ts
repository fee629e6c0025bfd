// The local cloud's OpenID provider, built on oidc-provider: Authorization Code + PKCE for the console, a login
// page that lists the sandbox users, and JWT access tokens signed with the local key under the local issuer and
// audience, so the unchanged authorizer trusts them exactly like `npm run token`'s.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
// oidc-provider's own in-memory store, chosen explicitly: one local provider process, and signing in again after a
// restart is fine. (Left to its default, the library warns on every start that the store is not persistent.)
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { Partner, SandboxUser } from '#domain/model.ts';
import {
  API_SCOPE,
  CONSOLE_CLIENT_ID,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIdentity,
} from './identity.ts';
import { escapeHtml, loginPage, signOutPage } from './identity-pages.ts';
import { listen } from './listen.ts';

/** The resource indicator (RFC 8707) of the API; its tokens carry the audience the authorizer expects. */
const API_RESOURCE = 'urn:partner-transfers:api';
const ACCESS_TOKEN_SECONDS = 3600;

export interface IdentityProviderOptions {
  host: string;
  port: number;
  identity: LocalIdentity;
  /**
   * Origins of the consoles that may sign in (redirect targets and CORS origins of the one console client): the
   * local console's, and a console deployed elsewhere that signs in here (LocalStack's, `--trusted-console`).
   */
  consoleOrigins: readonly string[];
  users: readonly SandboxUser[];
  partners: readonly Partner[];
}

export interface RunningIdentityProvider {
  /** Where the provider answers (its discovery document is under it); the issuer stays LOCAL_ISSUER. */
  url: string;
  close(): Promise<void>;
}

function configuration(options: IdentityProviderOptions): Configuration {
  const userById = new Map(options.users.map((user) => [user.userId, user]));
  return {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: options.consoleOrigins.map((origin) => `${origin}/signed-in`),
        post_logout_redirect_uris: options.consoleOrigins.map((origin) => `${origin}/`),
      },
    ],
    adapter: createMemoryAdapter(),
    jwks: { keys: [options.identity.signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', 'email'] },
    // The console shows the user's name from the ID token without a userinfo call.
    conformIdTokenClaims: false,
    scopes: ['openid', 'profile', API_SCOPE],
    clientBasedCORS: (_ctx, origin) => options.consoleOrigins.includes(origin),
    findAccount: (_ctx, sub) => {
      const user = userById.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, name: user.name, email: user.email }),
      };
    },
    // The console is first party: the grant is implied, so there is no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(`openid profile ${API_SCOPE}`);
      grant.addResourceScope(API_RESOURCE, API_SCOPE);
      await grant.save();
      return grant;
    },
    extraTokenClaims: (_ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const user = accountId ? userById.get(accountId) : undefined;
      return user ? { tid: user.tenantId, roles: [user.role] } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: API_SCOPE,
          audience: LOCAL_AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_SECONDS,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_SECONDS,
      Interaction: 3600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
    },
    renderError: (ctx, output) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><title>Sign-in error</title><main><h1>Sign-in error</h1><p>${escapeHtml(
        String(output.error_description ?? output.error),
      )}</p></main></html>`;
    },
  };
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<RunningIdentityProvider> {
  const provider = new Provider(LOCAL_ISSUER, configuration(options));
  const providerCallback = provider.callback();

  /** The login step: the provider hands over an interaction; we answer with the picked sandbox user. */
  async function interaction(request: IncomingMessage, response: ServerResponse, path: string) {
    const details = await provider.interactionDetails(request, response);
    if (request.method === 'POST' && path.endsWith('/login')) {
      const accountId = (await readForm(request)).get('accountId') ?? '';
      if (!options.users.some((user) => user.userId === accountId)) {
        response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('Pick one of the listed users.');
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId } });
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // form-action covers the redirects after the post too: back through the provider to the console.
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${options.consoleOrigins.join(' ')}`,
    });
    response.end(loginPage(details.uid, options.users, options.partners));
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith('/interaction/')) {
      providerCallback(request, response);
      return;
    }
    interaction(request, response, path).catch((error: unknown) => {
      if (response.headersSent) return response.end();
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        `This sign-in has expired or is unknown: start again from the console. (${String(error)})`,
      );
    });
  });
  const port = await listen(server, options.host, options.port, 'Identity provider');
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
