// Opt-in (RUN_CDK_CLI_TESTS=1, about a minute each): the real `cdk synth` of `npm run synth` and `cdklocal synth`
// of `npm run synth:localstack`, with every function bundled and the console built from source, through an
// unreachable proxy so that any network call would fail: both must work offline. The in-process template tests
// cover the same stack in seconds.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#api/routes.ts';
import { REPOSITORY_ROOT } from '#aws/transfer-function.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';

const run = promisify(execFile);
const DEAD_PROXY = 'http://127.0.0.1:9';
const OFFLINE = {
  HTTPS_PROXY: DEAD_PROXY,
  HTTP_PROXY: DEAD_PROXY,
  https_proxy: DEAD_PROXY,
  http_proxy: DEAD_PROXY,
  NO_PROXY: '',
  no_proxy: '',
};

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

async function synthesised(outdir: string) {
  const template = JSON.parse(
    await readFile(join(outdir, 'PartnerTransfers.template.json'), 'utf8'),
  ) as Template;
  const report = JSON.parse(await readFile(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations?: unknown[] }[];
  };
  // CDK's bucket deployment function aside: one per route and per task, the authorizer and the reconciler.
  const functions = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomCDKBucketDeployment'))
    .map(([, r]) => r);
  return { template, report, functions };
}

/** The console's staged asset: the vite build (an index.html loading a hashed module), not a source folder. */
async function consoleIndexHtml(outdir: string): Promise<string> {
  for (const entry of await readdir(outdir)) {
    if (!entry.startsWith('asset.')) continue;
    const html = await readFile(join(outdir, entry, 'index.html'), 'utf8').catch(() => undefined);
    if (html !== undefined) return html;
  }
  throw new Error(`No console asset with an index.html in ${outdir}`);
}

describe.runIf(process.env.RUN_CDK_CLI_TESTS === '1')('CDK CLI synth, offline', () => {
  let workdir: string;
  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'partner-transfers-cli-'));
  });
  afterAll(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  it('`cdk synth` bundles every function and passes validation', { timeout: 600_000 }, async () => {
    const outdir = join(workdir, 'aws');
    await run('npx', ['cdk', 'synth', '--quiet', '-o', outdir], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...OFFLINE, DEPLOYMENT_STAGE: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const { report, functions } = await synthesised(outdir);
    expect(functions).toHaveLength(ROUTES.length + WORKFLOW_TASKS.length + 2);
    expect(await consoleIndexHtml(outdir)).toMatch(
      /<script type="module"[^>]* src="\/assets\/index-[\w-]+\.js"/,
    );
    for (const plugin of report.pluginReports) expect(plugin.violations ?? []).toEqual([]);
  });

  it('`cdklocal synth` (scripts/localstack.sh synth) works too', { timeout: 600_000 }, async () => {
    const outdir = join(workdir, 'localstack');
    await run(join(REPOSITORY_ROOT, 'scripts/localstack.sh'), ['synth', '-o', outdir], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...OFFLINE, LOCAL_CLOUD_HOME: join(workdir, 'home') },
      maxBuffer: 64 * 1024 * 1024,
    });
    const { report, functions } = await synthesised(outdir);
    for (const fn of functions) {
      expect(JSON.stringify(fn.Properties?.Environment)).toContain('"DEPLOYMENT_STAGE":"localstack"');
    }
    for (const plugin of report.pluginReports) expect(plugin.violations ?? []).toEqual([]);
  });
});
