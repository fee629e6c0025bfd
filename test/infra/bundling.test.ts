// The functions' bundling settings produce code Lambda can run: synthesises two real functions with the local
// esbuild (no Docker on this machine: a Docker fallback would fail here), then loads the ESM bundles in Node.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferFunction } from '#aws/transfer-function.ts';

const run = promisify(execFile);

describe('function bundles', () => {
  let outdir: string;
  const bundles = new Map<string, string>();

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'partner-transfers-bundles-'));
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:enable-asset-metadata': true },
    });
    const stack = new Stack(app, 'Bundles');
    const entries = {
      health: 'functions/api/get-health.ts',
      // Pulls in the AWS SDK, middy and Powertools: CommonJS inside an ESM bundle.
      partnerProfile: 'functions/api/get-own-partner-profile.ts',
    };
    const functions = Object.entries(entries).map(([id, entry]) => {
      const fn = new TransferFunction(stack, id, {
        entry,
        description: id,
        environment: {},
        logRetention: RetentionDays.ONE_DAY,
        logRemovalPolicy: RemovalPolicy.DESTROY,
      });
      return [id, fn] as const;
    });
    app.synth();
    for (const [id, fn] of functions) {
      const cfn = fn.function.node.defaultChild as CfnFunction;
      bundles.set(id, join(outdir, cfn.getMetadata('aws:asset:path') as string));
    }
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('writes an ESM bundle with its source map', async () => {
    for (const directory of bundles.values()) {
      expect((await readdir(directory)).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    }
  });

  it('keeps each bundle within its size budget (Powertools Logger and Metrics, middy and zod/mini in every one)', async () => {
    // Minified, source map apart. Today: health ~72 KiB, with the AWS SDK ~483 KiB; a jump past the budget means a
    // dependency came in that every cold start would pay for (zod's classic API instead of zod/mini is ~65 KiB,
    // Powertools Tracer with the X-Ray SDK 125 KiB).
    const budgets: Record<string, number> = { health: 100 * 1024, partnerProfile: 520 * 1024 };
    for (const [id, directory] of bundles) {
      expect((await stat(join(directory, 'index.mjs'))).size, id).toBeLessThan(budgets[id] ?? 0);
    }
  });

  it('runs the health handler from its bundle', async () => {
    const script = `
      const { handler } = await import(${JSON.stringify(join(bundles.get('health')!, 'index.mjs'))});
      const event = { httpMethod: 'GET', path: '/v1/health', resource: '/v1/health', headers: {},
        multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
        pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
        requestContext: { requestId: 'bundle-test', authorizer: null } };
      const response = await handler(event, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'bundle-test' });
      console.log(JSON.stringify({ statusCode: response.statusCode, body: JSON.parse(response.body) }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result).toMatchObject({ statusCode: 200, body: { status: 'ok' } });
  });

  it('loads a bundle that contains the AWS SDK and CommonJS dependencies', async () => {
    const script = `
      const module = await import(${JSON.stringify(join(bundles.get('partnerProfile')!, 'index.mjs'))});
      console.log(typeof module.handler);
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...process.env,
        TABLE_NAME: 'bundle-test',
        AWS_REGION: 'us-east-1',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    expect(stdout.trim()).toBe('function');
  });
});
