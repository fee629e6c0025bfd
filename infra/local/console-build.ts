// Builds the console with vite into a folder the local console server serves (npm start, browser tests).
import { resolve } from 'node:path';
import { build } from 'vite';
import { REPOSITORY_ROOT } from './paths.ts';

export const CONSOLE_ROOT = resolve(REPOSITORY_ROOT, 'console');

export async function buildConsole(outDir: string): Promise<string> {
  await build({
    configFile: resolve(CONSOLE_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
