// Builds the console with vite: into a run's folder for the local cloud (npm start, browser tests), and into
// console/dist at every CDK synth (the stack uploads it), so what is served or deployed is always the current source.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CONSOLE_ROOT = fileURLToPath(new URL('.', import.meta.url));

/** Where a synth builds the console for the stack's asset (`npm run build:console` writes the same folder). */
export const CONSOLE_DIST = fileURLToPath(new URL('dist', import.meta.url));

export async function buildConsole(outDir: string): Promise<string> {
  await build({
    configFile: `${CONSOLE_ROOT}vite.config.ts`,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
