// The publishable build of the client: compiled without Node types (so it runs in browsers too), importable by plain
// Node from its own package.json, and talking to the API like the sources do.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { TARGET } from './support.ts';

const run = promisify(execFile);
const PACKAGE_DIR = resolve('packages/client');
const BUILT = join(PACKAGE_DIR, 'dist/package');

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await run('npm', ['run', 'build'], { cwd: PACKAGE_DIR });
});

afterAll(async () => {
  await cloud?.stop();
});

describe('the published package', () => {
  it('has a manifest that points at the compiled files', async () => {
    const manifest = JSON.parse(await readFile(join(BUILT, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@partner-transfers/client');
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({ types: './index.d.ts', default: './index.js' });
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
  });

  it('works from plain Node against the API', async () => {
    const script = `
      const { createPartnerTransfersClient, ApiError } = await import(${JSON.stringify(pathToFileURL(join(BUILT, 'index.js')).href)});
      const client = createPartnerTransfersClient({ baseUrl: process.env.API, token: process.env.TOKEN });
      const partner = await client.getPartner();
      const error = await client.getTransfer(partner.tenantId, crypto.randomUUID()).catch((e) => e);
      console.log(JSON.stringify({ tenantId: partner.tenantId, isApiError: error instanceof ApiError, code: error.code }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, API: cloud.urls.api, TOKEN: await cloud.tokenFor(TARGET) },
    });
    expect(JSON.parse(stdout)).toEqual({ tenantId: TARGET, isApiError: true, code: 'TransferNotFound' });
  });
});
