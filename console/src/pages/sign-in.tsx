// The first screen for anyone not signed in (also when an emailed link is opened): one button to the identity
// provider, which sends the user back to the page they asked for.
import { useState } from 'preact/hooks';
import type { Auth } from '../auth.ts';

export function SignInPage(props: { auth: Auth; problem?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(props.problem);
  const returnTo =
    window.location.pathname === '/signed-in'
      ? '/transfers'
      : `${window.location.pathname}${window.location.search}`;
  const signIn = () => {
    setBusy(true);
    props.auth.signIn(returnTo).catch((caught: unknown) => {
      setBusy(false);
      setError(
        `The identity provider cannot be reached (${String(caught)}). Check your connection and try again.`,
      );
    });
  };
  return (
    <main id="main" class="sign-in">
      <h1>Partner console</h1>
      <p>Create, accept, cancel and follow transfers of customer subscriptions between partners.</p>
      {error && (
        <div class="notice error" role="alert">
          {error}
        </div>
      )}
      <button type="button" class="primary" onClick={signIn} disabled={busy}>
        {busy ? 'Opening sign-in…' : 'Sign in'}
      </button>
    </main>
  );
}
