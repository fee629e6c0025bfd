// The open-transfers index (GSI4) against a real dynalite: a transfer is listed under its open status from creation,
// moves with every status change (changeStatus and update), leaves at a terminal status and comes back when an
// operator reopens it; the workflow run is claimed by exactly one of several racing repairers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOpenTransfers } from '#adapters/dynamodb-open-transfers.ts';
import { DynamoDbTransferRepository } from '#adapters/dynamodb-transfer-repository.ts';
import { NotFoundError } from '#application/storage-errors.ts';
import type { Transfer, TransferStatus } from '#domain/model.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';

let db: LocalDynamoDb;
let transfers: DynamoDbTransferRepository;
let open: DynamoDbOpenTransfers;

beforeAll(async () => {
  db = await startDynalite('storage-open-transfers-test');
  transfers = new DynamoDbTransferRepository(db.documentClient, db.tableName);
  open = new DynamoDbOpenTransfers(db.documentClient, db.tableName);
});

afterAll(async () => {
  await db.stop();
});

function newTransfer(createdTime: string): Transfer {
  return {
    id: randomUUID(),
    customerTenantId: randomUUID(),
    customerEmailId: 'it@customer.example',
    sourcePartnerTenantId: randomUUID(),
    sourcePartnerName: 'Source',
    targetPartnerTenantId: randomUUID(),
    targetPartnerName: 'Target',
    transferType: 3,
    status: 'Active',
    createdTime,
    lastModifiedTime: createdTime,
    lastModifiedUser: 'target-admin',
    expirationTime: '2030-01-31T00:00:00.000Z',
    lineItems: [],
    version: 1,
  };
}

async function listedUnder(transfer: Transfer): Promise<TransferStatus[]> {
  const found: TransferStatus[] = [];
  for (const status of ['Active', 'Accepted', 'InProgress'] as const) {
    const page = await open.list(status, { limit: 1000 });
    if (page.items.some((item) => item.id === transfer.id)) found.push(status);
  }
  return found;
}

describe('open transfers', () => {
  it('follows the status from creation to a terminal status and back when reopened', async () => {
    const transfer = newTransfer('2030-01-01T00:00:00.000Z');
    await transfers.create(transfer);
    expect(await listedUnder(transfer)).toEqual(['Active']);
    const change = (from: TransferStatus, to: TransferStatus) =>
      transfers.changeStatus(transfer.customerTenantId, transfer.id, { from: [from], to });
    await change('Active', 'Accepted');
    expect(await listedUnder(transfer)).toEqual(['Accepted']);
    await change('Accepted', 'InProgress');
    expect(await listedUnder(transfer)).toEqual(['InProgress']);
    await transfers.changeStatus(transfer.customerTenantId, transfer.id, {
      from: ['InProgress'],
      to: 'CompletedWithErrors',
      set: { completedTime: '2030-01-02T00:00:00.000Z' },
    });
    expect(await listedUnder(transfer)).toEqual([]);
    await transfers.changeStatus(transfer.customerTenantId, transfer.id, {
      from: ['CompletedWithErrors'],
      to: 'InProgress',
      remove: ['completedTime'],
    });
    expect(await listedUnder(transfer)).toEqual(['InProgress']);
    expect((await transfers.get(transfer.customerTenantId, transfer.id))?.completedTime).toBeUndefined();
  });

  it('lists oldest first with the workflow run, and pages with continuation tokens', async () => {
    const older = newTransfer('2029-01-01T00:00:00.000Z');
    const newer = newTransfer('2029-01-01T00:00:01.000Z');
    await transfers.create(newer);
    await transfers.create(older);
    const first = await open.list('Active', { limit: 1 });
    expect(first.items.map((item) => [item.id, item.workflowRun])).toEqual([[older.id, 0]]);
    const second = await open.list('Active', { limit: 1, continuationToken: first.continuationToken });
    expect(second.items.map((item) => item.id)).toEqual([newer.id]);
  });

  it('lets exactly one of several racing repairers claim the next workflow run', async () => {
    const transfer = newTransfer('2030-01-01T00:00:02.000Z');
    await transfers.create(transfer);
    const claims = await Promise.all(
      Array.from({ length: 5 }, () =>
        open.claimNextWorkflowRun(transfer.customerTenantId, transfer.id, 0, '2030-01-01T00:10:00.000Z'),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await transfers.getHeader(transfer.customerTenantId, transfer.id)).toMatchObject({
      workflowRun: 1,
    });
    expect(await open.claimNextWorkflowRun(transfer.customerTenantId, transfer.id, 0, 'x')).toBe(false);
    await expect(open.claimNextWorkflowRun(randomUUID(), transfer.id, 0, 'x')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
