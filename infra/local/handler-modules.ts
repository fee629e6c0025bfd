// The handler modules the local cloud imports on first use, like a Lambda container loads its function: each route's,
// each workflow task's, the authorizer's, the reconciler's and the webhook deliverer's and outbox relay's. `npm start` (tsx) imports their TypeScript sources; a
// prebuilt bundle of the local cloud (bench/chaos/cloud-bundle.ts, started with plain node) imports its own build
// of each, from the folder its build writes into LOCAL_CLOUD_BUNDLE_DIR.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROUTES } from '#api/routes.ts';
import { DELIVERER_ENTRY, RELAY_ENTRY } from '#webhooks/entries.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import { REPOSITORY_ROOT } from './paths.ts';

export const AUTHORIZER_ENTRY = 'functions/authorizer/handler.ts';
export const RECONCILER_ENTRY = 'functions/operations/reconcile-handler.ts';

/** Every module the local cloud may import a handler from (what a bundle of it must contain). */
export function localHandlerEntries(): string[] {
  return [
    ...new Set([
      ...ROUTES.map((route) => route.entry),
      ...WORKFLOW_TASKS.map((task) => task.entry),
      AUTHORIZER_ENTRY,
      RECONCILER_ENTRY,
      DELIVERER_ENTRY,
      RELAY_ENTRY,
    ]),
  ];
}

/** The bundle's file for a handler entry: the entry's path with `.js` for `.ts`, under the bundle's folder. */
export const bundledEntryFile = (bundleDir: string, entry: string): string =>
  resolve(bundleDir, entry.replace(/\.ts$/, '.js'));

function handlerModuleUrl(entry: string): string {
  const bundleDir = process.env.LOCAL_CLOUD_BUNDLE_DIR;
  if (!bundleDir) return pathToFileURL(resolve(REPOSITORY_ROOT, entry)).href;
  const file = bundledEntryFile(bundleDir, entry);
  if (!existsSync(file)) {
    throw new Error(
      `${entry} is not in the local cloud bundle ${bundleDir}: list it in localHandlerEntries()`,
    );
  }
  return pathToFileURL(file).href;
}

export async function importHandler<T>(entry: string): Promise<T> {
  const module = (await import(handlerModuleUrl(entry))) as { handler?: T };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
  return module.handler;
}
