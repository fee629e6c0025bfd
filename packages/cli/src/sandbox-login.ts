// `login --tenant` for the embedded local cloud: mints a sandbox token with the repository's own code (the same as
// `npm run token`). Only possible from a checkout of partner-transfers, which has the local signing key.
import type { StoredAuth } from './config-store.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface SandboxLogin {
  tenant: string;
  role: string;
  user?: string;
  signingKeyFile?: string;
}

export async function mintSandboxAuth(
  login: SandboxLogin,
): Promise<Extract<StoredAuth, { kind: 'sandbox' }>> {
  let sandbox: typeof import('../../../infra/local/sandbox-token.ts');
  try {
    sandbox = await import('../../../infra/local/sandbox-token.ts');
  } catch {
    throw new CliError(
      '--tenant mints local-cloud tokens and works only inside a partner-transfers checkout; use --token or --token-command.',
      EXIT.usage,
    );
  }
  if (!sandbox.isRole(login.role)) {
    throw new CliError(
      `--role must be one of AdminAgent, SalesAgent, HelpdeskAgent (got ${login.role}).`,
      EXIT.usage,
    );
  }
  try {
    const minted = await sandbox.mintSandboxToken({
      tenant: login.tenant,
      role: login.role,
      ...(login.user ? { user: login.user } : {}),
      ...(login.signingKeyFile ? { signingKeyFile: login.signingKeyFile } : {}),
    });
    return {
      kind: 'sandbox',
      token: minted.token,
      tenant: login.tenant,
      role: login.role,
      ...(login.user ? { user: login.user } : {}),
      ...(login.signingKeyFile ? { signingKeyFile: login.signingKeyFile } : {}),
    };
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
}
