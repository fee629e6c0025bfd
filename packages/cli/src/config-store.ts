// Where `login` keeps the API URL and how to get a token: one JSON file in the user's config directory, readable by
// the user only (0600, in a 0700 directory), because it may hold a bearer token.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type StoredAuth =
  | { kind: 'token'; token: string }
  | { kind: 'command'; command: string }
  | { kind: 'sandbox'; token: string; tenant: string; role: string; user?: string; signingKeyFile?: string };

export interface StoredConfig {
  apiUrl: string;
  auth: StoredAuth;
}

/** PARTNER_TRANSFERS_CONFIG_DIR, else the platform's per-user config directory. */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PARTNER_TRANSFERS_CONFIG_DIR) return env.PARTNER_TRANSFERS_CONFIG_DIR;
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'partner-transfers');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'partner-transfers');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'partner-transfers');
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDirectory(env), 'config.json');
}

export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<StoredConfig | undefined> {
  try {
    return JSON.parse(await readFile(configFile(env), 'utf8')) as StoredConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function writeConfig(
  config: StoredConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const directory = configDirectory(env);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const file = configFile(env);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode only applies to a new file
  return file;
}

export async function removeConfig(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const existed = (await readConfig(env)) !== undefined;
  await rm(configFile(env), { force: true });
  return existed;
}
