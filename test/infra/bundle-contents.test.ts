// A route's bundle carries the schemas it validates with, not the response schemas only the API description uses:
// each top-level schema is a pure-annotated expression, so esbuild drops the ones a bundle never reads.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '#aws/transfer-function.ts';

/** Text from the meta of TRANSFER_LINE_ITEM_SCHEMA and PROGRESS_SCHEMA (response schemas of the transfer). */
const RESPONSE_SCHEMA_TEXTS = ['How many times moving this item was tried.', 'n of m line items moved'];

async function bundledCode(entry: string): Promise<string> {
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

describe('route bundles', () => {
  it('carry the response schemas where the API description is built (the check can see them)', async () => {
    const code = await bundledCode('functions/api/get-api-description.ts');
    for (const text of RESPONSE_SCHEMA_TEXTS) expect(code).toContain(text);
  });

  it.each([
    'functions/api/create-transfer.ts',
    'functions/api/update-transfer.ts',
    'functions/api/submit-transfer.ts',
    'functions/api/cancel-transfer.ts',
  ])('leave out the response schemas in %s', async (entry) => {
    const code = await bundledCode(entry);
    for (const text of RESPONSE_SCHEMA_TEXTS) expect(code).not.toContain(text);
  });
});
