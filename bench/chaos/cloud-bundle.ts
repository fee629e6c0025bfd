// The local cloud for the chaos campaign: infra/local/main.ts and every handler module it may import, bundled once
// per campaign with esbuild (as the Lambda functions are for AWS) and started with plain node. Under tsx each start
// compiled and resolved hundreds of TypeScript and SDK modules again: 3 s idle, 8 s and more under load, which bounded
// the kills a campaign could make. The code is the same; only how it is loaded differs.
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { bundledEntryFile, localHandlerEntries } from '#local/handler-modules.ts';
import { REPOSITORY_ROOT } from '#local/paths.ts';

const MAIN_ENTRY = 'infra/local/main.ts';

/**
 * Modules read files next to themselves (the ASL, the signing key's default folder, the SES mail page): each keeps
 * the location of its source instead of taking the bundle's.
 */
const keepSourceLocations: Plugin = {
  name: 'keep-source-locations',
  setup(plugin) {
    plugin.onLoad({ filter: /\.(ts|js|cjs|mjs)$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!/import\.meta\.url|__dirname|__filename/.test(text)) return undefined;
      // A module that declares its own (ESM code emulating CommonJS) keeps it.
      const declares = (name: string) => new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`).test(text);
      let contents = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href));
      if (!declares('__dirname')) contents = contents.replaceAll('__dirname', JSON.stringify(dirname(path)));
      if (!declares('__filename')) contents = contents.replaceAll('__filename', JSON.stringify(path));
      return {
        contents,
        loader: path.endsWith('.ts') ? 'ts' : 'js',
      };
    });
  },
};

export interface CloudBundle {
  /** The bundle's main module: `node <main> [npm start options]`. */
  main: string;
  remove(): Promise<void>;
}

/**
 * Builds into node_modules/.cache (a folder of its own per build, so campaigns running at once do not share one),
 * where the few packages left outside the bundle resolve as they do for the sources.
 */
export async function buildCloudBundle(): Promise<CloudBundle> {
  const dir = join(REPOSITORY_ROOT, 'node_modules', '.cache', 'local-cloud-bundle', randomUUID());
  await build({
    entryPoints: [MAIN_ENTRY, ...localHandlerEntries()],
    absWorkingDir: REPOSITORY_ROOT,
    outdir: dir,
    outbase: '.',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // dynalite loads its actions by computed paths, and LevelDB is a native addon: both load from node_modules, as
    // does vite (only a start without --console-dir builds the console).
    external: ['dynalite', 'vite'],
    keepNames: true,
    minify: true,
    define: { 'process.env.LOCAL_CLOUD_BUNDLE_DIR': JSON.stringify(dir) },
    plugins: [keepSourceLocations],
    banner: {
      // CommonJS dependencies bundled into ESM still call require().
      js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return {
    main: bundledEntryFile(dir, MAIN_ENTRY),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
