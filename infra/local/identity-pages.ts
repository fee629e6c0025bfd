// The local OpenID provider's two pages: pick a sandbox user to sign in as, and sign out. Plain HTML, no script
// on the login page, so it works with the keyboard alone and passes the same accessibility checks as the console.
import type { Partner, SandboxUser } from '#domain/model.ts';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f5f6f8}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.5rem}
section{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:0.5rem 1rem;margin:0 0 1rem}
h2{font-size:1.1rem;margin:.5rem 0}ul{list-style:none;padding:0;margin:0}li{margin:.4rem 0}
button{font:inherit;width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #0b5cad;border-radius:4px;
background:#fff;color:#0b4a8b;cursor:pointer}button:hover,button:focus-visible{background:#e8f0fb;outline:3px solid #0b5cad}
small{color:#4a4f57}`;

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(
    title,
  )}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

const ROLE_NAMES: Record<SandboxUser['role'], string> = {
  AdminAgent: 'admin agent',
  SalesAgent: 'sales agent',
  HelpdeskAgent: 'helpdesk agent',
};

export function loginPage(uid: string, users: readonly SandboxUser[], partners: readonly Partner[]): string {
  const sections = partners.map((partner) => {
    const buttons = users
      .filter((user) => user.tenantId === partner.tenantId)
      .map(
        (user) =>
          `<li><button type="submit" name="accountId" value="${escapeHtml(user.userId)}">${escapeHtml(
            user.name,
          )} <small>(${ROLE_NAMES[user.role]}, ${escapeHtml(user.email)})</small></button></li>`,
      );
    return `<section aria-labelledby="p-${partner.tenantId}"><h2 id="p-${partner.tenantId}">${escapeHtml(
      partner.name,
    )} <small>${partner.kind}</small></h2><ul>${buttons.join('')}</ul></section>`;
  });
  return page(
    'Sign in: partner-transfers local identity',
    `<h1>Sign in to the partner console</h1>
<p>This is the local cloud's identity provider. Pick the sandbox user to act as; on AWS your organisation's
identity provider signs you in instead.</p>
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">${sections.join('')}</form>`,
  );
}

/** oidc-provider's confirmation form, submitted at once: signing out of the console ends the local session too. */
export function signOutPage(form: string): string {
  const withConsent = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  return `${page(
    'Signing out',
    `<h1>Signing out…</h1>${withConsent}<button type="submit" form="op.logoutForm">Sign out</button>`,
  ).replace('</body>', '<script>document.forms[0].submit()</script></body>')}`;
}
