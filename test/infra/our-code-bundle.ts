// The code esbuild bundles for a function entry, unminified and without node_modules (packages stay external), so a
// test can read which of our modules, schemas and names a function carries: esbuild names every module in a comment.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { REPOSITORY_ROOT } from '#aws/transfer-function.ts';

export async function ourBundledCode(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [resolve(REPOSITORY_ROOT, entry)],
    absWorkingDir: REPOSITORY_ROOT,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return result.outputFiles.map((file) => file.text).join('\n');
}
