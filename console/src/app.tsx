// The signed-in console: header with navigation and the user, and one bookmarkable URL per screen.

import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router } from 'preact-iso';
import { AuditLogPage } from './pages/audit-log.tsx';
import { NewTransferPage } from './pages/new-transfer.tsx';
import { SubscriptionsPage } from './pages/subscriptions.tsx';
import { TransferPage } from './pages/transfer.tsx';
import { TransfersPage } from './pages/transfers.tsx';
import { type Session, SessionProvider, useSession } from './session.tsx';
import { useLoad } from './use-load.ts';

const ROLE_WORDS: Record<string, string> = {
  AdminAgent: 'admin agent',
  SalesAgent: 'sales agent',
  HelpdeskAgent: 'helpdesk agent',
};

function Header() {
  const { user, client, isAdmin, signOut } = useSession();
  const [partner] = useLoad(() => client.getPartner(), []);
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href="/transfers">
        Partner console
      </a>
      <nav aria-label="Main">
        <a href="/transfers?direction=incoming">Inbox</a>
        <a href="/transfers?direction=outgoing">Outbox</a>
        {isAdmin && <a href="/transfers/new">New transfer</a>}
        <a href="/audit">Audit log</a>
      </nav>
      <div class="who">
        <span>
          {user.name}
          {partner.state === 'ready' ? `, ${partner.data.name}` : ''} (
          {user.roles.map((role) => ROLE_WORDS[role] ?? role).join(', ')})
        </span>
        <button type="button" class="link-button" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}

function Home() {
  useEffect(() => {
    window.history.replaceState(null, '', '/transfers');
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  return null;
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <a href="/transfers">Go to your transfers</a>
      </p>
    </section>
  );
}

export function App(props: { session: Session }) {
  return (
    <SessionProvider session={props.session}>
      <LocationProvider>
        <Header />
        <main id="main" tabIndex={-1}>
          <Router onRouteChange={() => document.getElementById('main')?.focus()}>
            <Route path="/" component={Home} />
            <Route path="/transfers" component={TransfersPage} />
            <Route path="/transfers/new" component={NewTransferPage} />
            <Route path="/transfers/:customerId/:transferId" component={TransferPage} />
            <Route path="/customers/:customerId/subscriptions" component={SubscriptionsPage} />
            <Route path="/audit" component={AuditLogPage} />
            <Route default component={NotFound} />
          </Router>
        </main>
      </LocationProvider>
    </SessionProvider>
  );
}
