// Start: read the deployment's settings, finish a sign-in if this is the redirect back from the identity provider,
// then show the console to a signed-in user or the sign-in screen to anyone else.
import { render } from 'preact';
import { App } from './app.tsx';
import { createAuth } from './auth.ts';
import { loadConfig } from './config.ts';
import { SignInPage } from './pages/sign-in.tsx';
import { createSession } from './session.tsx';
import './styles.css';

async function start(root: HTMLElement) {
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig();
  } catch (error) {
    root.innerHTML = '';
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The console cannot start: ${String(error)} Reload the page to try again.`;
    root.append(message);
    return;
  }
  const auth = createAuth(config);
  if (window.location.pathname === '/signed-in') {
    try {
      const next = await auth.completeSignIn();
      window.history.replaceState(null, '', next);
    } catch (error) {
      window.history.replaceState(null, '', '/');
      render(
        <SignInPage
          auth={auth}
          problem={`The sign-in did not complete (${String(error)}). Please sign in again.`}
        />,
        root,
      );
      return;
    }
  }
  const user = await auth.currentUser();
  root.innerHTML = '';
  render(user ? <App session={createSession(config, auth, user)} /> : <SignInPage auth={auth} />, root);
}

const root = document.getElementById('app');
if (root) void start(root);
