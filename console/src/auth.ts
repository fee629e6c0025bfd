// Sign-in with OpenID Connect (Authorization Code + PKCE) through oidc-client-ts, the same code path on AWS and in
// the local cloud. Tokens live in session storage (never in a cookie), and sign-out clears them.
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from '../hosting.ts';

export type Role = 'AdminAgent' | 'SalesAgent' | 'HelpdeskAgent';

export interface SignedInUser {
  name: string;
  tenantId: string;
  roles: Role[];
  accessToken: string;
}

export interface Auth {
  /** The signed-in user, or undefined when there is none or the token has expired. */
  currentUser(): Promise<SignedInUser | undefined>;
  /** Goes to the identity provider; comes back to `returnTo` after sign-in. */
  signIn(returnTo: string): Promise<void>;
  /** Finishes a sign-in on the redirect page; returns where to go next. */
  completeSignIn(): Promise<string>;
  signOut(): Promise<void>;
}

/** The API's token carries the tenant and roles the authorizer reads; the console reads the same claims. */
function accessTokenClaims(token: string): { tid?: string; roles?: Role[] } {
  const payload = token.split('.')[1] ?? '';
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as { tid?: string; roles?: Role[] };
  } catch {
    return {};
  }
}

function toSignedInUser(user: User | null): SignedInUser | undefined {
  if (!user || user.expired) return undefined;
  const claims = accessTokenClaims(user.access_token);
  const name = typeof user.profile.name === 'string' ? user.profile.name : user.profile.sub;
  return { name, tenantId: claims.tid ?? '', roles: claims.roles ?? [], accessToken: user.access_token };
}

/** Only paths of this console may be returned to, never another site. */
const localPath = (value: unknown): string =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/transfers';

export function createAuth(config: ConsoleConfig): Auth {
  const origin = window.location.origin;
  const manager = new UserManager({
    authority: config.authority,
    ...(config.metadataUrl ? { metadataUrl: config.metadataUrl } : {}),
    client_id: config.clientId,
    redirect_uri: `${origin}/signed-in`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: config.scope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    ...(config.extraQueryParams ? { extraQueryParams: config.extraQueryParams } : {}),
  });
  return {
    currentUser: async () => toSignedInUser(await manager.getUser()),
    signIn: (returnTo) => manager.signinRedirect({ state: { returnTo } }),
    async completeSignIn() {
      const user = await manager.signinRedirectCallback();
      return localPath((user.state as { returnTo?: unknown } | undefined)?.returnTo);
    },
    async signOut() {
      const user = await manager.getUser();
      await manager.removeUser();
      try {
        await manager.signoutRedirect(user?.id_token ? { id_token_hint: user.id_token } : {});
      } catch {
        // An identity provider without an end-session endpoint: the console's own session is gone already.
        window.location.assign('/');
      }
    },
  };
}
