// The deployment's settings, read once at start from /config.json (written by the CDK stack or the local cloud).
import type { ConsoleConfig } from '../hosting.ts';

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok)
    throw new Error(`The console's configuration could not be read (HTTP ${response.status}).`);
  return (await response.json()) as ConsoleConfig;
}
