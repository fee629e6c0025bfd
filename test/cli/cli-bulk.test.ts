// Bulk transfers from a CSV file through the CLI: one failing row never stops the others, the report says which
// rows failed and why, and running the same file again acts on nothing (request ids derived from the rows).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPartnerTransfersClient } from '@partner-transfers/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { seedSubscription } from '#test/workflow/support.ts';
import { CUSTOMER, SOURCE, TARGET } from '../client/support.ts';
import { type CliUser, cliUser } from './run-cli.ts';

interface BulkReport {
  total: number;
  done: number;
  failed: number;
  rows: { row: number; status: 'done' | 'failed'; transferId?: string; error?: { code: string } }[];
}

let cloud: TestCloud;
let target: CliUser;
let source: CliUser;
let folder: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  folder = await mkdtemp(join(tmpdir(), 'partner-transfers-bulk-'));
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

const BAD_ROWS = new Set([5, 13]);

function createCsv(): string {
  const lines = ['customerId,sourcePartnerTenantId,sourcePartnerName,customerEmailId'];
  for (let row = 1; row <= 20; row += 1) {
    if (row === 5) lines.push(`not-a-guid,${SOURCE},Contoso Direct,bulk-${row}@woodgrove.example`);
    else if (row === 13)
      lines.push(`${CUSTOMER},${SANDBOX_TENANTS.northwind},Northwind,bulk-${row}@woodgrove.example`);
    else lines.push(`${CUSTOMER},${SOURCE},Contoso Direct,bulk-${row}@woodgrove.example`);
  }
  return `${lines.join('\n')}\n`;
}

async function outgoingCount(): Promise<number> {
  const client = createPartnerTransfersClient({
    baseUrl: cloud.urls.api,
    token: await cloud.tokenFor(TARGET),
  });
  return (await client.listTransfers({ direction: 'outgoing', pageSize: 100 }).toArray()).length;
}

describe('bulk commands', { timeout: 240_000 }, () => {
  it('create --from-file: 20 rows with 2 bad ones -> 18 done, 2 failed; a re-run changes nothing', async () => {
    const csv = join(folder, 'customers.csv');
    const reportFile = join(folder, 'report.json');
    await writeFile(csv, createCsv());
    const before = await outgoingCount();

    const first = await target.json<BulkReport>(
      ['transfers', 'create', '--from-file', csv, '--report', reportFile, '--concurrency', '4'],
      7,
    );
    expect(first).toMatchObject({ total: 20, done: 18, failed: 2 });
    expect(first.rows.filter((row) => row.status === 'failed').map((row) => row.row)).toEqual([...BAD_ROWS]);
    expect(first.rows.find((row) => row.row === 5)?.error?.code).toBe('InvalidRequest');
    expect(JSON.parse(await readFile(reportFile, 'utf8'))).toEqual(first);
    expect(await outgoingCount()).toBe(before + 18);

    const again = await target.json<BulkReport>(['transfers', 'create', '--from-file', csv], 7);
    expect(again).toMatchObject({ total: 20, done: 18, failed: 2 });
    expect(again.rows.map((row) => row.transferId)).toEqual(first.rows.map((row) => row.transferId));
    expect(await outgoingCount()).toBe(before + 18);

    const human = await target.run(['transfers', 'create', '--from-file', csv]);
    expect(human.code).toBe(7);
    expect(human.stdout).toContain('18 done, 2 failed of 20');
  });

  it('accept --from-file: each row its subscriptions; a re-run accepts nothing twice', async () => {
    const rows: string[] = ['transferId,subscriptionIds'];
    const client = createPartnerTransfersClient({
      baseUrl: cloud.urls.api,
      token: await cloud.tokenFor(TARGET),
    });
    for (let index = 0; index < 3; index += 1) {
      const subscription = await seedSubscription(cloud.storage, CUSTOMER, SOURCE, 40 + index);
      const transfer = await client.createTransfer(CUSTOMER, {
        sourcePartnerTenantId: SOURCE,
        sourcePartnerName: 'Contoso Direct',
        customerEmailId: `bulk-accept-${index}@woodgrove.example`,
      });
      rows.push(`${transfer.id},${subscription.subscriptionId}`);
    }
    rows.push(`${crypto.randomUUID()},${crypto.randomUUID()}`);
    const csv = join(folder, 'accept.csv');
    await writeFile(csv, `${rows.join('\n')}\n`);

    const first = await source.json<BulkReport>(['transfers', 'accept', '--from-file', csv], 7);
    expect(first).toMatchObject({ total: 4, done: 3, failed: 1 });
    const again = await source.json<BulkReport>(['transfers', 'accept', '--from-file', csv], 7);
    expect(again).toMatchObject({ total: 4, done: 3, failed: 1 });

    const sourceClient = createPartnerTransfersClient({
      baseUrl: cloud.urls.api,
      token: await cloud.tokenFor(SOURCE),
    });
    for (const row of first.rows.filter((entry) => entry.status === 'done')) {
      const audit = await sourceClient.listAuditRecords({ transferId: row.transferId }).toArray();
      expect(audit.filter((record) => record.operation === 'TransferAccepted')).toHaveLength(1);
    }
  });
});
