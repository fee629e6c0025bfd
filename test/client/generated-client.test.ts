// The typed client's generated files are what the generator makes of the document the API serves today: a change
// to a route or a payload schema without `npm run generate:client` fails here.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDescription } from '#api/get-api-description.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { generateClientFiles } from '../../scripts/client-generation.ts';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
});

afterAll(async () => {
  await cloud?.stop();
});

async function expectCommittedFilesToEqual(files: Record<string, string>): Promise<void> {
  for (const [path, generated] of Object.entries(files)) {
    const committed = await readFile(path, 'utf8');
    expect(committed, `${path} is stale: run npm run generate:client`).toBe(generated);
  }
}

describe('the generated client', () => {
  it('matches a regeneration from the document the local API serves', async () => {
    const response = await fetch(`${cloud.urls.api}/v1/openapi.json`);
    expect(response.status).toBe(200);
    await expectCommittedFilesToEqual({ ...(await generateClientFiles((await response.json()) as object)) });
  });

  it('matches a regeneration from the route table and schemas', async () => {
    await expectCommittedFilesToEqual({ ...(await generateClientFiles(buildApiDescription())) });
  });
});
