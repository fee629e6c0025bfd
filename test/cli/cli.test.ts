// The partner-transfers CLI run as a subprocess against the local cloud, like an admin at a terminal or a script:
// help, login (sandbox token, stored 0600), create, accept with flags, watch until Complete (exit 0), --json that
// parses, errors with their exit codes, and the interactive accept driven through a pseudo-terminal.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createPartnerTransfersClient, type Transfer } from '@partner-transfers/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { seedSubscription } from '#test/workflow/support.ts';
import { CUSTOMER, SOURCE, TARGET } from '../client/support.ts';
import { type CliUser, cliInTerminal, cliUser, KEY } from './run-cli.ts';

let cloud: TestCloud;
let target: CliUser;
let source: CliUser;

const createArgs = (email: string) => [
  'transfers',
  'create',
  '--customer',
  CUSTOMER,
  '--source',
  SOURCE,
  '--source-name',
  'Contoso Direct',
  '--customer-email',
  email,
];

beforeAll(async () => {
  cloud = await startTestCloud();
  [target, source] = await Promise.all([cliUser(), cliUser()]);
  const login = (user: CliUser, tenant: string) =>
    user.json([
      'login',
      '--api-url',
      cloud.urls.api,
      '--tenant',
      tenant,
      '--signing-key',
      cloud.signingKeyFile,
    ]);
  await Promise.all([login(target, 'fabrikam'), login(source, 'contoso')]);
});

afterAll(async () => {
  await cloud?.stop();
});

// Every step starts a Node process (tsx compiles the CLI): generous per-test time on a loaded 2-core machine.
describe('partner-transfers CLI', { timeout: 240_000 }, () => {
  it('--help lists every command, and transfers --help every transfer command', async () => {
    const help = await target.run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['login', 'logout', 'whoami', 'transfers', 'eligibility', 'audit']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(help.stdout).toContain('Exit codes:');
    const transfers = await target.run(['transfers', '--help']);
    for (const command of ['list', 'show', 'create', 'accept', 'cancel', 'watch']) {
      expect(transfers.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('login stores a sandbox token readable by the user only; whoami says who it is', async () => {
    const file = join(target.configDir, 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const me = await target.json<{ tenantId: string; caller: { roles: string[] } }>(['whoami']);
    expect(me.tenantId).toBe(TARGET);
    expect(me.caller.roles).toEqual(['AdminAgent']);
  });

  it('create -> accept with --subscription -> watch exits 0 on Complete', async () => {
    const subscriptions = await Promise.all(
      [0, 1].map((index) => seedSubscription(cloud.storage, CUSTOMER, SOURCE, index)),
    );
    const created = await target.json<Transfer>(createArgs('cli-test@woodgrove.example'));
    expect(created.status).toBe('Active');

    const listed = await source.json<{ id: string }[]>([
      'transfers',
      'list',
      '--incoming',
      '--status',
      'Active',
    ]);
    expect(listed.map((transfer) => transfer.id)).toContain(created.id);

    const accepted = await source.json<Transfer>([
      'transfers',
      'accept',
      created.id,
      ...subscriptions.flatMap((subscription) => ['--subscription', subscription.subscriptionId]),
    ]);
    expect(accepted.lineItems.map((item) => item.subscriptionId).sort()).toEqual(
      subscriptions.map((subscription) => subscription.subscriptionId).sort(),
    );

    const watched = await target.run(['transfers', 'watch', created.id, '--interval', '50']);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('Complete');
    expect(watched.stdout).toContain('2 of 2 moved');

    const shown = await target.json<Transfer>(['transfers', 'show', created.id]);
    expect(shown.progress).toEqual({ moved: 2, failed: 0, total: 2 });
    const audit = await source.json<{ operation: string }[]>(['audit', '--transfer', created.id]);
    expect(audit.map((record) => record.operation)).toContain('TransferAccepted');
  });

  it('watch exits 6 when the transfer ends without Complete; cancel and eligibility work', async () => {
    const created = await target.json<Transfer>(createArgs('cli-cancel@woodgrove.example'));
    const canceled = await target.json<Transfer>(['transfers', 'cancel', created.id]);
    expect(canceled.status).toBe('Canceled');
    const watched = await target.run(['transfers', 'watch', created.id]);
    expect(watched.code).toBe(6);

    const eligibility = await source.json<{ eligible: boolean; errors: unknown[] }[]>([
      'eligibility',
      CUSTOMER,
    ]);
    expect(eligibility.some((entry) => entry.eligible)).toBe(true);
    expect(eligibility.filter((entry) => !entry.eligible).every((entry) => entry.errors.length > 0)).toBe(
      true,
    );
  });

  it('errors: the API code and correlation id with exit 4, usage errors exit 2, no login exits 3', async () => {
    const error = await target.json<{ error: { code: string; status: number; correlationId: string } }>(
      ['transfers', 'show', crypto.randomUUID(), '--customer', CUSTOMER],
      4,
    );
    expect(error.error).toMatchObject({ code: 'TransferNotFound', status: 404 });
    expect(error.error.correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const human = await target.run(['transfers', 'show', crypto.randomUUID(), '--customer', CUSTOMER]);
    expect(human.code).toBe(4);
    expect(human.stderr).toContain('TransferNotFound');
    expect(human.stderr).toContain('correlation id');

    const sales = await cliUser();
    await sales.json([
      'login',
      '--api-url',
      cloud.urls.api,
      '--tenant',
      'fabrikam',
      '--role',
      'SalesAgent',
      '--signing-key',
      cloud.signingKeyFile,
    ]);
    expect((await sales.run(createArgs('x@woodgrove.example'))).code).toBe(4);

    expect((await target.run(['transfers', 'list', '--limit', 'zero'])).code).toBe(2);
    expect((await target.run(['transfers', 'create', '--customer', CUSTOMER])).code).toBe(2);
    expect((await target.run(['no-such-command'])).code).toBe(2);
    expect(
      (await source.run(['transfers', 'accept', crypto.randomUUID(), '--customer', CUSTOMER])).code,
    ).toBe(2);

    const nobody = await cliUser();
    const notSignedIn = await nobody.run(['whoami']);
    expect(notSignedIn.code).toBe(3);
    expect(notSignedIn.stderr).toContain('partner-transfers login');
  });

  it('interactive accept: a checklist on a terminal, two items selected with the keyboard', async () => {
    const seeded = await Promise.all(
      [5, 6, 7].map((index) => seedSubscription(cloud.storage, CUSTOMER, SOURCE, index)),
    );
    const created = await target.json<Transfer>(createArgs('cli-interactive@woodgrove.example'));
    const eligibleBefore = await source.json<{ subscriptionId: string; eligible: boolean }[]>([
      'eligibility',
      CUSTOMER,
    ]);
    const offered = eligibleBefore.filter((entry) => entry.eligible).map((entry) => entry.subscriptionId);
    expect(offered.length).toBeGreaterThanOrEqual(seeded.length);

    const terminal = cliInTerminal(['transfers', 'accept', created.id], source.env);
    await terminal.waitFor('Subscriptions to move');
    terminal.type(KEY.space);
    terminal.type(KEY.down);
    terminal.type(KEY.space);
    terminal.type(KEY.enter);
    const code = await terminal.exited;
    expect(code, terminal.screen()).toBe(0);
    expect(terminal.screen()).toContain('Cannot move');

    const client = createPartnerTransfersClient({
      baseUrl: cloud.urls.api,
      token: await cloud.tokenFor(SOURCE),
    });
    const accepted = await client.getTransfer(CUSTOMER, created.id);
    expect(accepted.status).not.toBe('Active');
    expect(accepted.lineItems.map((item) => item.subscriptionId).sort()).toEqual(offered.slice(0, 2).sort());
  });
});
