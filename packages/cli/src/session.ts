// A client for the signed-in user: the stored API URL and a token provider that asks again (new token command
// run, new sandbox token) once when the API refuses the token. PARTNER_TRANSFERS_API_URL and PARTNER_TRANSFERS_TOKEN
// override the stored login, for CI jobs that should not write a config file.
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createPartnerTransfersClient,
  type PartnerTransfersClient,
  type TokenProvider,
} from '@partner-transfers/client';
import { readConfig, type StoredAuth, type StoredConfig, writeConfig } from './config-store.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { mintSandboxAuth } from './sandbox-login.ts';

const run = promisify(exec);

export async function runTokenCommand(command: string): Promise<string> {
  try {
    const { stdout } = await run(command, { timeout: 60_000, maxBuffer: 1024 * 1024 });
    const token = stdout.trim();
    if (!token) throw new Error('it printed nothing');
    return token;
  } catch (error) {
    throw new CliError(
      `The token command failed (${command}): ${(error as Error).message}`,
      EXIT.unauthenticated,
    );
  }
}

function tokenProviderFor(config: StoredConfig): TokenProvider {
  const auth: StoredAuth = config.auth;
  switch (auth.kind) {
    case 'token':
      return () => auth.token;
    case 'command': {
      let cached: Promise<string> | undefined;
      return ({ forceRefresh }) => {
        if (forceRefresh || !cached) cached = runTokenCommand(auth.command);
        return cached;
      };
    }
    case 'sandbox': {
      let current = auth;
      return async ({ forceRefresh }) => {
        if (forceRefresh) {
          current = await mintSandboxAuth(current);
          await writeConfig({ ...config, auth: current });
        }
        return current.token;
      };
    }
  }
}

export async function loadSession(env: NodeJS.ProcessEnv = process.env): Promise<StoredConfig> {
  const stored = await readConfig(env);
  const apiUrl = env.PARTNER_TRANSFERS_API_URL ?? stored?.apiUrl;
  const token = env.PARTNER_TRANSFERS_TOKEN;
  if (apiUrl && token) return { apiUrl, auth: { kind: 'token', token } };
  if (!stored) {
    throw new CliError(
      'Not signed in. Run `partner-transfers login --api-url <url> --token <token>` (or --token-command, or --tenant on the local cloud).',
      EXIT.unauthenticated,
    );
  }
  return apiUrl ? { ...stored, apiUrl } : stored;
}

export function clientFor(config: StoredConfig): PartnerTransfersClient {
  return createPartnerTransfersClient({
    baseUrl: config.apiUrl,
    token: tokenProviderFor(config),
    headers: { 'User-Agent': 'partner-transfers-cli/0.1.0' },
  });
}

export async function signedInClient(): Promise<PartnerTransfersClient> {
  return clientFor(await loadSession());
}
