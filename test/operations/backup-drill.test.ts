// The export/restore drill of docs/runbook.md on the local cloud: export the table, lose it (a new, empty cloud),
// restore the export, and the transfers that were open carry on to the end: one waiting for acceptance, one that was
// moving when the table was lost. A damaged export is refused before anything is written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#test/support/dynalite.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  acceptanceToken,
  createTransferFixture,
  eventually,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  transferWorkflow,
} from '#test/workflow/support.ts';
import { markInProgress, runOps, SUBPROCESS_BUDGET_MS } from './support.ts';

let folder: string;
const clouds: TestCloud[] = [];
const clients: SFNClient[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'partner-transfers-drill-'));
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const cloud of clouds) await cloud.stop();
  await rm(folder, { recursive: true, force: true });
});

async function newCloud(): Promise<{ cloud: TestCloud; client: SFNClient }> {
  const cloud = await startTestCloud();
  const client = sfnClient(cloud);
  clouds.push(cloud);
  clients.push(client);
  return { cloud, client };
}

const keyOf = ({ transfer }: TransferFixture) => [transfer.customerTenantId, transfer.id] as const;

/** Every attribute type the table holds beyond strings and numbers: string sets (relayedItemEvents, claimsInFlight),
 * binaries (gzipped idempotent answers), and both nested. */
const TYPES_PROBE = {
  PK: 'BACKUP-PROBE',
  SK: 'TYPES',
  names: new Set(['event-1', 'event-2']),
  sizes: new Set([1, 2.5]),
  bodyGzip: Uint8Array.from([31, 139, 8, 0, 255]),
  nested: { flag: true, nothing: null, list: [Uint8Array.from([1, 2]), 'text', 3] },
};

const tableOf = (cloud: TestCloud) => ({
  documentClient: createDynamoDbDocumentClient({
    endpoint: cloud.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  }),
  TableName: cloud.tableName,
});

describe('export/restore drill', () => {
  it(
    'export, lose the table, restore: every item is back and the open transfers finish',
    async () => {
      const before = await newCloud();
      const waiting = await createTransferFixture(before.cloud.storage, { items: 2 });
      await transferWorkflow(before.cloud, before.client).start({
        customerId: waiting.transfer.customerTenantId,
        transferId: waiting.transfer.id,
      });
      await acceptanceToken(before.cloud.storage, waiting.transfer);
      // Accepted and moving when the table was lost, with no workflow left to finish it.
      const moving = await createTransferFixture(before.cloud.storage, { items: 2 });
      await markInProgress(before.cloud.storage, moving, new Date());
      const waitingBefore = await before.cloud.storage.transfers.get(...keyOf(waiting));
      const beforeTable = tableOf(before.cloud);
      await beforeTable.documentClient.send(
        new PutCommand({ TableName: beforeTable.TableName, Item: TYPES_PROBE }),
      );

      const file = join(folder, 'backup.jsonl');
      const exported = await runOps(before.cloud, ['export', file]);
      expect(exported.code).toBe(0);
      const items = Number(/Exported (\d+) item/.exec(exported.stdout)?.[1]);
      expect(items).toBeGreaterThan(10);

      const after = await newCloud();
      expect(await after.cloud.storage.transfers.get(...keyOf(waiting))).toBeUndefined();

      const damaged = join(folder, 'damaged.jsonl');
      await writeFile(damaged, '{"PK":"X","SK":"Y","note":"fine"}\nnot json\n');
      const refused = await runOps(after.cloud, ['restore', damaged]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/damaged\.jsonl:2 is not a table item/);

      const restored = await runOps(after.cloud, ['restore', file]);
      expect(restored.stdout).toMatch(
        new RegExp(`Restored ${items} item\\(s\\) into .*; started the workflow of 2 open transfer\\(s\\)`),
      );
      expect(await after.cloud.storage.transfers.get(...keyOf(waiting))).toEqual(waitingBefore);
      // Sets stay sets and bytes stay bytes (plain JSON would have made both maps).
      const afterTable = tableOf(after.cloud);
      const probe = await afterTable.documentClient.send(
        new GetCommand({ TableName: afterTable.TableName, Key: { PK: TYPES_PROBE.PK, SK: TYPES_PROBE.SK } }),
      );
      expect(probe.Item?.names).toEqual(TYPES_PROBE.names);
      expect(probe.Item?.sizes).toEqual(TYPES_PROBE.sizes);
      expect(Buffer.from(probe.Item?.bodyGzip)).toEqual(Buffer.from(TYPES_PROBE.bodyGzip));
      expect(probe.Item?.nested.flag).toBe(true);
      expect(probe.Item?.nested.nothing).toBeNull();
      expect(Buffer.from(probe.Item?.nested.list[0])).toEqual(Buffer.from([1, 2]));
      expect(probe.Item?.nested.list.slice(1)).toEqual(['text', 3]);

      const moved = await eventually(async () => {
        const stored = await after.cloud.storage.transfers.get(...keyOf(moving));
        return stored?.status === 'Complete' ? stored : undefined;
      });
      expect(moved.lineItems.map((item) => item.status)).toEqual(['Complete', 'Complete']);
      const subscriptions = await Promise.all(
        moving.subscriptions.map((subscription) =>
          after.cloud.storage.subscriptions.get(subscription.customerId, subscription.subscriptionId),
        ),
      );
      expect(subscriptions.map((subscription) => subscription?.billingPartnerTenantId)).toEqual([
        moving.target.tenantId,
        moving.target.tenantId,
      ]);

      // The restored acceptance wait is a live one: the source accepts and the transfer completes.
      await acceptanceToken(after.cloud.storage, waiting.transfer);
      expect(
        (await submitDirectly(after.cloud.storage, transferWorkflow(after.cloud, after.client), waiting))
          .status,
      ).toBe('Accepted');
      await eventually(async () =>
        (await after.cloud.storage.transfers.get(...keyOf(waiting)))?.status === 'Complete'
          ? true
          : undefined,
      );
    },
    SUBPROCESS_BUDGET_MS,
  );
});
