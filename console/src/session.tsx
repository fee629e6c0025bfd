// Who is signed in and the API client that acts as them, shared by every screen through a context.
import { createPartnerTransfersClient, type PartnerTransfersClient } from '@partner-transfers/client';
import { type ComponentChildren, createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleConfig } from '../hosting.ts';
import type { Auth, SignedInUser } from './auth.ts';

export interface Session {
  user: SignedInUser;
  client: PartnerTransfersClient;
  isAdmin: boolean;
  /** Back to the identity provider, returning to the current page: what a 401 leads to. */
  signInAgain(): void;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function createSession(config: ConsoleConfig, auth: Auth, user: SignedInUser): Session {
  const signInAgain = () => {
    void auth.signIn(`${window.location.pathname}${window.location.search}`);
  };
  const client = createPartnerTransfersClient({
    baseUrl: config.apiUrl,
    token: async () => (await auth.currentUser())?.accessToken ?? user.accessToken,
    retry: { attempts: 3 },
  });
  return {
    user,
    client,
    isAdmin: user.roles.includes('AdminAgent'),
    signInAgain,
    signOut: () => void auth.signOut(),
  };
}

export function SessionProvider(props: { session: Session; children: ComponentChildren }) {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
