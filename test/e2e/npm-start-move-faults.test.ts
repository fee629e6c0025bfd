// Sandbox fault injection reaches the workflow when the local cloud is started the documented ways: `npm start` run as
// a user runs it (a child process, free ports, its own home folder), with `--move-faults` or SANDBOX_MOVE_FAULTS, then
// a transfer submitted over HTTP. Every move fails permanently, so the transfer ends CompletedWithErrors.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLocalIdentity } from '#local/identity.ts';
import { REPOSITORY_ROOT, signingKeyFile } from '#local/paths.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_SUBSCRIPTIONS, SANDBOX_TENANTS } from '#local/sandbox.ts';

const T = SANDBOX_TENANTS;
const C = SANDBOX_CUSTOMERS;
const FREE_PORTS = [
  '--api-port',
  '0',
  '--dynamodb-port',
  '0',
  '--ses-port',
  '0',
  '--stepfunctions-port',
  '0',
  '--console-port',
  '0',
  '--identity-port',
  '0',
];

interface StartedCloud {
  apiUrl: string;
  home: string;
  output: () => string;
  stop: () => Promise<void>;
}

const started: StartedCloud[] = [];

afterAll(async () => {
  await Promise.all(started.map((cloud) => cloud.stop()));
});

/** Runs `npm start -- <args>` and resolves once its banner is printed (or rejects with what it printed). */
async function npmStart(args: string[], env: Record<string, string> = {}): Promise<StartedCloud> {
  const home = await mkdtemp(join(tmpdir(), 'partner-transfers-npm-start-'));
  const child: ChildProcess = spawn('npm', ['start', '--', ...FREE_PORTS, ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, LOCAL_CLOUD_HOME: home, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
    // Its own process group, so that stopping it stops npm, tsx and node together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /API \(REST, like API Gateway\)\s+(http:\/\/\S+)\/v1/.exec(output);
      if (match && output.includes('Press Ctrl-C to stop.')) resolve(match[1] ?? '');
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  const cloud = { apiUrl, home, output: () => output, stop };
  started.push(cloud);
  return cloud;
}

/** Runs `npm start -- <args>` to its end: its exit code and everything it printed. */
async function npmStartToExit(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: REPOSITORY_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

/** Creates, fills and submits a Contoso -> Fabrikam transfer for Woodgrove; resolves its final state. */
async function transferToTheEnd(cloud: StartedCloud) {
  const identity = await loadLocalIdentity(signingKeyFile({ LOCAL_CLOUD_HOME: cloud.home }));
  const tokenOf = (tenantId: string) =>
    identity.signToken({ tenantId, userId: `admin-of-${tenantId}`, roles: ['AdminAgent'] });
  const call = async (tenantId: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenOf(tenantId)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON body, inspected by the test.
    return { status: response.status, body: (await response.json()) as any };
  };
  const azurePlan = SANDBOX_SUBSCRIPTIONS.find(
    (subscription) =>
      subscription.customerId === C.woodgrove &&
      subscription.billingPartnerTenantId === T.contoso &&
      subscription.productType === 'AzureSubscription',
  );
  if (!azurePlan) throw new Error('no Azure plan of Woodgrove in the sandbox');
  const created = await call(T.fabrikam, 'POST', `/v1/customers/${C.woodgrove}/transfers`, {
    sourcePartnerTenantId: T.contoso,
    sourcePartnerName: 'Contoso Direct',
    customerEmailId: 'it@woodgrove.example',
    transferType: 3,
  });
  expect(created.status).toBe(201);
  const path = `/v1/customers/${C.woodgrove}/transfers/${created.body.id}`;
  const patched = await call(T.contoso, 'PATCH', path, {
    lineItems: [{ subscriptionId: azurePlan.subscriptionId }],
  });
  expect(patched.status).toBe(200);
  expect((await call(T.contoso, 'POST', `${path}/submit`)).status).toBe(202);
  for (let poll = 0; poll < 600; poll++) {
    const current = await call(T.contoso, 'GET', path);
    if (current.body.status === 'Complete' || current.body.status === 'CompletedWithErrors')
      return current.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`transfer ${created.body.id} did not finish:\n${cloud.output()}`);
}

// Each test starts npm, tsx and the whole cloud in a fresh process: seconds on an idle machine, far more under load.
describe('npm start with sandbox move faults', { timeout: 240_000 }, () => {
  it('--help documents --move-faults', async () => {
    const help = await npmStartToExit(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/--move-faults <rules>/);
    expect(help.output).toContain('SANDBOX_MOVE_FAULTS');
  });

  it.each([
    ['--move-faults', ['--move-faults', 'permanent:1'], {}],
    ['SANDBOX_MOVE_FAULTS', [], { SANDBOX_MOVE_FAULTS: 'permanent:1' }],
  ])('%s makes every move fail permanently', async (_how, args, env) => {
    const cloud = await npmStart(args, env);
    expect(cloud.output()).toMatch(/Line-item move faults\s+permanent:1/);
    const transfer = await transferToTheEnd(cloud);
    expect(transfer.status).toBe('CompletedWithErrors');
    expect(transfer.lineItems[0].status).toBe('Failed');
    expect(transfer.lineItems[0].transferError.description).toMatch(/sandbox/i);
  });

  it('stops at once, naming the rule, when the rules do not parse', async () => {
    const bad = await npmStartToExit([...FREE_PORTS, '--move-faults', 'sometimes:0.5']);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('sometimes:0.5');
    expect(bad.output).toContain('--move-faults');
  });
});
