// Nothing is lost: the local cloud runs as its own process with its data on disk; a transfer is created, its status
// changed (canceled), and the process is killed (SIGKILL) before any relay could publish the events. Started again on
// the same folder, it delivers transfer.created and transfer.canceled to the partner's endpoint, in sequence: the
// events were recorded with the changes themselves.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/model.ts';
import { loadLocalIdentity } from '#local/identity.ts';
import { REPOSITORY_ROOT } from '#local/paths.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_PARTNERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startWebhookReceiver, type WebhookReceiver } from '#test/support/webhook-receiver.ts';
import { eventually } from '#test/workflow/support.ts';

const CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
const SOURCE = SANDBOX_TENANTS.contoso;
const TARGET = SANDBOX_TENANTS.fabrikam;

const children: ChildProcess[] = [];
let receiver: WebhookReceiver | undefined;
let data: string | undefined;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver?.close();
  if (data) await rm(data, { recursive: true, force: true });
});

/** `npm start` on free ports and the data folder, as a child process; resolves with its API URL. */
function startCloudProcess(folder: string, env: Record<string, string> = {}): Promise<string> {
  const free = ['--api-port', '0', '--dynamodb-port', '0', '--ses-port', '0', '--stepfunctions-port', '0'];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/main.ts', ...free, '--data', folder],
    {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, LOCAL_CLOUD_HOME: folder, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /API \(REST[^\n]*?(http:\/\/\S+)\/v1/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`The local cloud exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

describe('a process killed right after a transfer is created and canceled', () => {
  it('still delivers both events, in sequence, once it runs again on the same data', {
    timeout: 180_000,
  }, async () => {
    data = await mkdtemp(join(tmpdir(), 'partner-transfers-crash-'));
    receiver = await startWebhookReceiver();
    // The first run's relay never gets to publish: only the recorded event can bring it to the receiver.
    const firstApi = await startCloudProcess(data, { LOCAL_OUTBOX_RELAY_INTERVAL_MS: '3600000' });
    const identity = await loadLocalIdentity(join(data, 'signing-key.json'));
    const call = async (api: string, tenantId: string, method: string, path: string, body?: unknown) => {
      const roles: Role[] = ['AdminAgent'];
      const token = await identity.signToken({ tenantId, userId: 'crash-test', roles });
      const response = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    const endpoint = await call(firstApi, SOURCE, 'POST', '/v1/webhooks', {
      url: receiver.url('/crash'),
      events: ['transfer.created', 'transfer.canceled'],
    });
    expect(endpoint.status).toBe(201);
    const created = await call(firstApi, TARGET, 'POST', `/v1/customers/${CUSTOMER}/transfers`, {
      sourcePartnerTenantId: SOURCE,
      sourcePartnerName: SANDBOX_PARTNERS.find((partner) => partner.tenantId === SOURCE)?.name,
      customerEmailId: 'crash-test@woodgrove.example',
    });
    expect(created.status).toBe(201);
    const transferPath = `/v1/customers/${CUSTOMER}/transfers/${created.body.id}`;
    expect((await call(firstApi, TARGET, 'POST', `${transferPath}/cancel`)).status).toBe(200);
    children[0]?.kill('SIGKILL');
    expect(receiver.received).toEqual([]);

    await startCloudProcess(data);
    const delivered = await eventually(async () => {
      const found = receiver?.received.filter((entry) => entry.path === '/crash') ?? [];
      return new Set(found.map((entry) => entry.headers['webhook-id'])).size >= 2 ? found : undefined;
    }, 100);
    const events = delivered
      .map(
        (entry) =>
          new Webhook(endpoint.body.secret ?? '').verify(entry.body, entry.headers) as {
            type: string;
            data: { transfer: { id: string; status: string }; sequence: number };
          },
      )
      .sort((a, b) => a.data.sequence - b.data.sequence);
    expect(events.map((event) => [event.type, event.data.sequence, event.data.transfer.id])).toEqual([
      ['transfer.created', 1, created.body.id],
      ['transfer.canceled', 2, created.body.id],
    ]);
    expect(events[1]?.data.transfer.status).toBe('Canceled');
  });
});
