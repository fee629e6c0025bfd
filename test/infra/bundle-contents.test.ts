// A route's bundle carries the schemas it validates with, not the response schemas only the API description uses:
// each top-level schema is a pure-annotated expression, so esbuild drops the ones a bundle never reads.
import { describe, expect, it } from 'vitest';
import { ourBundledCode } from './our-code-bundle.ts';

/** Text from the meta of TRANSFER_LINE_ITEM_SCHEMA and PROGRESS_SCHEMA (response schemas of the transfer). */
const RESPONSE_SCHEMA_TEXTS = ['How many times moving this item was tried.', 'n of m line items moved'];

describe('route bundles', () => {
  it('carry the response schemas where the API description is built (the check can see them)', async () => {
    const code = await ourBundledCode('functions/api/get-api-description.ts');
    for (const text of RESPONSE_SCHEMA_TEXTS) expect(code).toContain(text);
  });

  it.each([
    'functions/api/create-transfer.ts',
    'functions/api/update-transfer.ts',
    'functions/api/submit-transfer.ts',
    'functions/api/cancel-transfer.ts',
  ])('leave out the response schemas in %s', async (entry) => {
    const code = await ourBundledCode(entry);
    for (const text of RESPONSE_SCHEMA_TEXTS) expect(code).not.toContain(text);
  });
});
