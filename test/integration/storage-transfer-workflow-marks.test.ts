// The workflow's bookkeeping on a transfer header (getHeader, markCreationNotified) against a real dynalite: read in
// one strongly consistent GetItem, idempotent, never part of the Transfer that get/listings return, no version bump.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbTransferRepository } from '#adapters/dynamodb-transfer-repository.ts';
import { NotFoundError } from '#application/storage-errors.ts';
import type { Transfer } from '#domain/model.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';

let db: LocalDynamoDb;
let transfers: DynamoDbTransferRepository;

beforeAll(async () => {
  db = await startDynalite('storage-workflow-marks-test');
  transfers = new DynamoDbTransferRepository(db.documentClient, db.tableName);
});

afterAll(async () => {
  await db.stop();
});

function newTransfer(): Transfer {
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
    createdTime: '2030-01-01T00:00:00.000Z',
    lastModifiedTime: '2030-01-01T00:00:00.000Z',
    lastModifiedUser: 'target-admin',
    expirationTime: '2030-01-31T00:00:00.000Z',
    lineItems: [
      {
        id: '0',
        subscriptionId: 'subscription-0',
        quantity: 1,
        billingCycle: 'Monthly',
        friendlyName: 'M365',
        offerId: 'O',
        skuId: '1',
        catalogItemId: 'O:1',
        termDuration: 'P1M',
        productType: 'OnlineServicesNCE',
        status: 'Pending',
        attempts: 0,
      },
    ],
    version: 1,
  };
}

describe('transfer workflow marks', () => {
  it('getHeader answers the header without line items, creationNotified false until marked', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    await transfers.storeAcceptanceToken(transfer.customerTenantId, transfer.id, 'secret-token');
    const { lineItems: _items, ...expectedHeader } = transfer;
    const header = await transfers.getHeader(transfer.customerTenantId, transfer.id);
    expect(header).toEqual({
      ...expectedHeader,
      lineItemCount: 1,
      creationNotified: false,
      lineItemSet: expect.any(Number),
      workflowRun: 0,
    });
    expect(JSON.stringify(header)).not.toContain('secret-token');
    expect(await transfers.getHeader(transfer.customerTenantId, randomUUID())).toBeUndefined();
  });

  it('updateLineItem with the line item set read from getHeader skips the lookup; a replaced set finds no item', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    const header = await transfers.getHeader(transfer.customerTenantId, transfer.id);
    const lineItemId = transfer.lineItems[0]?.id ?? '';
    const updated = await transfers.updateLineItem(
      transfer.customerTenantId,
      transfer.id,
      lineItemId,
      { status: 'InProgress', incrementAttempts: true },
      { lineItemSet: header?.lineItemSet },
    );
    expect(updated).toMatchObject({ status: 'InProgress', attempts: 1 });
    await transfers.replaceLineItems(transfer.customerTenantId, transfer.id, transfer.lineItems, {
      expectedVersion: transfer.version,
    });
    await expect(
      transfers.updateLineItem(
        transfer.customerTenantId,
        transfer.id,
        lineItemId,
        { incrementAttempts: true },
        { lineItemSet: header?.lineItemSet },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('markCreationNotified is idempotent, bumps no version and stays out of get and listings', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    await transfers.markCreationNotified(transfer.customerTenantId, transfer.id);
    await transfers.markCreationNotified(transfer.customerTenantId, transfer.id);
    const header = await transfers.getHeader(transfer.customerTenantId, transfer.id);
    expect(header).toMatchObject({ creationNotified: true, version: 1 });
    const stored = await transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored).toEqual(transfer);
    const listed = await transfers.listByCustomer(transfer.customerTenantId);
    expect(listed.items[0]).not.toHaveProperty('creationNotified');
    // A later domain change keeps the mark.
    await transfers.changeStatus(transfer.customerTenantId, transfer.id, {
      from: ['Active'],
      to: 'Canceled',
    });
    expect(await transfers.getHeader(transfer.customerTenantId, transfer.id)).toMatchObject({
      status: 'Canceled',
      creationNotified: true,
      version: 2,
    });
  });

  it('markCreationNotified on a transfer that does not exist is NotFoundError and creates nothing', async () => {
    const customerId = randomUUID();
    const transferId = randomUUID();
    await expect(transfers.markCreationNotified(customerId, transferId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await transfers.getHeader(customerId, transferId)).toBeUndefined();
  });
});
