// The transfer repository against a real dynalite: headers, line items, listings, and the conditional writes that
// submit, cancel and the workflow race on.

import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbTransferRepository } from '#adapters/dynamodb-transfer-repository.ts';
import type { TransferHeader } from '#application/ports.ts';
import {
  AlreadyExistsError,
  InvalidContinuationTokenError,
  InvalidKeyError,
  LineItemStatusConflictError,
  NotFoundError,
  TransferStatusConflictError,
  VersionConflictError,
} from '#application/storage-errors.ts';
import type { Transfer, TransferLineItem, TransferStatus } from '#domain/model.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';

let db: LocalDynamoDb;
let transfers: DynamoDbTransferRepository;

beforeAll(async () => {
  db = await startDynalite('storage-transfers-test');
  // Small query pages, so reading a transfer really follows LastEvaluatedKey.
  transfers = new DynamoDbTransferRepository(db.documentClient, db.tableName, { lineItemQueryPageSize: 40 });
});

afterAll(async () => {
  await db.stop();
});

const uid = (prefix: string) => `${prefix}-${randomUUID()}`;
const BASE_TIME = Date.parse('2030-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(BASE_TIME + seconds * 1000).toISOString();

function lineItem(index: number, overrides: Partial<TransferLineItem> = {}): TransferLineItem {
  return {
    id: String(index),
    subscriptionId: `subscription-${index}`,
    quantity: 10 + index,
    billingCycle: 'Monthly',
    friendlyName: `Subscription number ${index} with a reasonably long friendly name`,
    offerId: 'CFQ7TTC0LF8Q',
    skuId: '0001',
    catalogItemId: 'CFQ7TTC0LF8Q:0001:CFQ7TTC0N8SS',
    termDuration: 'P1Y',
    productType: 'OnlineServicesNCE',
    status: 'Pending',
    attempts: 0,
    ...overrides,
  };
}

function newTransfer(overrides: Partial<Transfer> = {}): Transfer {
  return {
    id: uid('transfer'),
    customerTenantId: uid('customer'),
    customerName: 'Fabrikam',
    customerEmailId: 'it@fabrikam.example',
    sourcePartnerTenantId: uid('source'),
    sourcePartnerName: 'Source Ltd',
    targetPartnerTenantId: uid('target'),
    targetPartnerName: 'Target Inc',
    transferType: 3,
    status: 'Active',
    createdTime: at(0),
    lastModifiedTime: at(0),
    lastModifiedUser: 'target-admin',
    expirationTime: at(30 * 24 * 3600),
    lineItems: [],
    version: 1,
    ...overrides,
  };
}

async function headerItemSize(transfer: Transfer): Promise<number> {
  const { Item } = await db.documentClient.send(
    new GetCommand({
      TableName: db.tableName,
      Key: { PK: `CUSTOMER#${transfer.customerTenantId}`, SK: `TRANSFER#${transfer.id}` },
    }),
  );
  return JSON.stringify(Item).length;
}

async function listAll(
  list: (continuationToken?: string) => Promise<{ items: TransferHeader[]; continuationToken?: string }>,
) {
  const pages: TransferHeader[][] = [];
  let continuationToken: string | undefined;
  do {
    const page = await list(continuationToken);
    pages.push(page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return pages;
}

describe('create and get', () => {
  it('round-trips a transfer with its line items in order', async () => {
    const transfer = newTransfer({
      targetProductTypes: ['OnlineServicesNCE', 'AzureSubscription'],
      lineItems: [lineItem(2), lineItem(0, { partnerIdOnRecord: '7654321' }), lineItem(1)],
    });
    await transfers.create(transfer);
    expect(await transfers.get(transfer.customerTenantId, transfer.id)).toEqual(transfer);
    expect(await transfers.get(transfer.customerTenantId, 'missing')).toBeUndefined();
    expect(await transfers.get(uid('other-customer'), transfer.id)).toBeUndefined();
  });

  it('refuses a second transfer with the same id; an identical retry completes the first', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    await transfers.create(transfer);
    await expect(transfers.create({ ...transfer, createdTime: at(5) })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    expect((await transfers.get(transfer.customerTenantId, transfer.id))?.lineItems).toHaveLength(1);
  });

  it('refuses duplicate line item ids', async () => {
    await expect(
      transfers.create(newTransfer({ lineItems: [lineItem(1), lineItem(1)] })),
    ).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it('keeps 1,000 line items without the header growing, and reads them all back', async () => {
    const small = newTransfer({ lineItems: [lineItem(0)] });
    const large = newTransfer({ lineItems: Array.from({ length: 1000 }, (_, index) => lineItem(index)) });
    await transfers.create(small);
    await transfers.create(large);
    // ~150 bytes per item: far above 400 KB if they lived in the header; the header stays the same size.
    expect(Math.abs((await headerItemSize(large)) - (await headerItemSize(small)))).toBeLessThan(200);
    const stored = await transfers.get(large.customerTenantId, large.id);
    expect(stored?.lineItems.map((item) => item.id)).toEqual(large.lineItems.map((item) => item.id));
    expect(stored?.lineItems[999]).toEqual(large.lineItems[999]);
  });

  it('never mixes another transfer whose id starts with this id into the read', async () => {
    const customerTenantId = uid('customer');
    const first = newTransfer({ id: 'abc', customerTenantId, lineItems: [lineItem(0)] });
    const second = newTransfer({ id: 'abcd', customerTenantId, lineItems: [lineItem(0), lineItem(1)] });
    await transfers.create(first);
    await transfers.create(second);
    expect((await transfers.get(customerTenantId, 'abc'))?.lineItems).toHaveLength(1);
  });
});

describe('listings', () => {
  const customerTenantId = uid('customer');
  const source = uid('source');
  const target = uid('target');
  const otherTarget = uid('other-target');
  const created: Transfer[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 27; index++) {
      const transfer = newTransfer({
        customerTenantId,
        sourcePartnerTenantId: source,
        targetPartnerTenantId: index % 9 === 0 ? otherTarget : target,
        createdTime: at(index),
        status: index % 3 === 0 ? 'Canceled' : 'Active',
        lineItems: [lineItem(0)],
      });
      created.push(transfer);
      await transfers.create(transfer);
    }
  });

  it('pages through a source partner’s inbox with limit 10: every transfer exactly once, newest first', async () => {
    const pages = await listAll((continuationToken) =>
      transfers.listForPartner(source, 'incoming', {
        limit: 10,
        ...(continuationToken ? { continuationToken } : {}),
      }),
    );
    expect(pages.map((page) => page.length).slice(0, 3)).toEqual([10, 10, 7]);
    const ids = pages.flat().map((header) => header.id);
    expect(ids).toEqual([...created].reverse().map((transfer) => transfer.id));
    const first = pages[0]![0]!;
    expect(first.lineItemCount).toBe(1);
    expect('lineItems' in first).toBe(false);
    expect('acceptanceTaskToken' in first).toBe(false);
  });

  it('pages through a target’s outbox, filtered by status, exactly once', async () => {
    const expected = created
      .filter((transfer) => transfer.targetPartnerTenantId === target && transfer.status === 'Active')
      .map((transfer) => transfer.id)
      .reverse();
    const pages = await listAll((continuationToken) =>
      transfers.listForPartner(target, 'outgoing', {
        limit: 4,
        status: 'Active',
        ...(continuationToken ? { continuationToken } : {}),
      }),
    );
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(4);
    expect(pages.flat().map((header) => header.id)).toEqual(expected);
    expect(pages.flat().every((header) => header.status === 'Active')).toBe(true);
  });

  it('lists a customer’s transfers, optionally only those a tenant may see', async () => {
    const all = await listAll((continuationToken) =>
      transfers.listByCustomer(customerTenantId, {
        limit: 10,
        ...(continuationToken ? { continuationToken } : {}),
      }),
    );
    expect(all.flat()).toHaveLength(27);
    const visible = await transfers.listByCustomer(customerTenantId, {
      limit: 100,
      visibleTo: { tenantId: otherTarget },
      status: ['Canceled', 'Active'],
    });
    expect(visible.items.map((header) => header.id)).toEqual(
      created
        .filter((transfer) => transfer.targetPartnerTenantId === otherTarget)
        .map((transfer) => transfer.id)
        .reverse(),
    );
    expect(
      (await transfers.listByCustomer(customerTenantId, { visibleTo: { tenantId: uid('stranger') } })).items,
    ).toEqual([]);
  });

  it('refuses a token from another listing', async () => {
    const page = await transfers.listForPartner(source, 'incoming', { limit: 5 });
    expect(page.continuationToken).toBeDefined();
    await expect(
      transfers.listForPartner(target, 'outgoing', { continuationToken: page.continuationToken! }),
    ).rejects.toBeInstanceOf(InvalidContinuationTokenError);
    await expect(
      transfers.listByCustomer(customerTenantId, { continuationToken: page.continuationToken! }),
    ).rejects.toBeInstanceOf(InvalidContinuationTokenError);
  });
});

describe('replacing line items with optimistic concurrency', () => {
  const replace = (transfer: Transfer, lineItems: TransferLineItem[], user: string) =>
    transfers.replaceLineItems(transfer.customerTenantId, transfer.id, lineItems, {
      expectedVersion: 1,
      set: { lastModifiedUser: user },
    });

  it('two replacements with the same expected version: exactly one wins', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    const requests = [
      { user: 'one', lineItems: [lineItem(0), lineItem(1)] },
      { user: 'two', lineItems: [lineItem(5)] },
    ];
    const results = await Promise.allSettled(requests.map((r) => replace(transfer, r.lineItems, r.user)));
    const winnerIndex = results.findIndex((result) => result.status === 'fulfilled');
    const losers = results.filter((result) => result.status === 'rejected');
    expect(losers).toHaveLength(1);
    expect(losers[0]!.reason).toBeInstanceOf(VersionConflictError);
    expect((losers[0]!.reason as VersionConflictError).actualVersion).toBe(2);
    const stored = await transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.version).toBe(2);
    expect(stored?.lastModifiedUser).toBe(requests[winnerIndex]?.user);
    expect(stored?.lineItems).toEqual(requests[winnerIndex]?.lineItems);
  });

  it('replaces the line items: a smaller set leaves nothing of the old one behind', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0), lineItem(1), lineItem(2)] });
    await transfers.create(transfer);
    expect(await replace(transfer, [lineItem(7)], 'x')).toBe(2);
    const stored = await transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.lineItems).toEqual([lineItem(7)]);
    // The old set is deleted, not only hidden.
    const { Items } = await db.documentClient.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': `CUSTOMER#${transfer.customerTenantId}`,
          ':prefix': `TRANSFER#${transfer.id}#ITEM#`,
        },
      }),
    );
    expect(Items?.map((item) => item.subscriptionId)).toEqual(['subscription-7']);
  });

  it('a late item write of an older revision (a slow concurrent writer) never shows', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    await replace(transfer, [lineItem(1)], 'x');
    await db.documentClient.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          ...lineItem(9),
          PK: `CUSTOMER#${transfer.customerTenantId}`,
          SK: `TRANSFER#${transfer.id}#ITEM#1#9`,
          transferId: transfer.id,
          ordinal: 0,
          revision: 1,
        },
      }),
    );
    expect((await transfers.get(transfer.customerTenantId, transfer.id))?.lineItems).toEqual([lineItem(1)]);
  });

  it('replaceLineItems bumps the version and honours it', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    const version = await transfers.replaceLineItems(
      transfer.customerTenantId,
      transfer.id,
      [lineItem(3), lineItem(4)],
      {
        expectedVersion: 1,
        set: { lastModifiedUser: 'source-admin', lastModifiedTime: at(60) },
      },
    );
    expect(version).toBe(2);
    const stored = await transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.lineItems.map((item) => item.id)).toEqual(['3', '4']);
    expect(stored?.lastModifiedUser).toBe('source-admin');
    await expect(
      transfers.replaceLineItems(transfer.customerTenantId, transfer.id, [], { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    await expect(
      transfers.replaceLineItems(transfer.customerTenantId, 'missing', [], { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('claims in flight (the PATCH that claims subscriptions before it stores them)', () => {
  const key = (transfer: Transfer) => [transfer.customerTenantId, transfer.id] as const;
  const inFlight = async (transfer: Transfer) =>
    (await transfers.getWithClaimsInFlight(...key(transfer)))?.claimsInFlight;

  it('each mark stays until its own replacement or clear removes it; no version bump, never shown', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    expect(await inFlight(transfer)).toBe(false);
    await transfers.markClaimsInFlight(...key(transfer), 'patch-1');
    await transfers.markClaimsInFlight(...key(transfer), 'patch-2');
    await transfers.markClaimsInFlight(...key(transfer), 'patch-2'); // a repeat changes nothing
    const read = await transfers.getWithClaimsInFlight(...key(transfer));
    expect(read?.claimsInFlight).toBe(true);
    expect(read?.transfer).toEqual(await transfers.get(...key(transfer)));
    expect(read?.transfer.version).toBe(1);
    expect(Object.keys(read?.transfer ?? {})).not.toContain('claimsInFlight');
    expect(Object.keys((await transfers.getHeader(...key(transfer))) ?? {})).not.toContain('claimsInFlight');

    // The write that stores patch-1's line items removes patch-1's mark, not patch-2's.
    await transfers.replaceLineItems(...key(transfer), [lineItem(1)], {
      expectedVersion: 1,
      claimsInFlight: 'patch-1',
    });
    expect(await inFlight(transfer)).toBe(true);
    // A lost race removes nothing: the write did not happen.
    await expect(
      transfers.replaceLineItems(...key(transfer), [lineItem(2)], {
        expectedVersion: 1,
        claimsInFlight: 'patch-2',
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await inFlight(transfer)).toBe(true);
    await transfers.clearClaimsInFlight(...key(transfer), 'patch-2');
    await transfers.clearClaimsInFlight(...key(transfer), 'patch-2'); // idempotent
    expect(await inFlight(transfer)).toBe(false);
    const { Item } = await db.documentClient.send(
      new GetCommand({
        TableName: db.tableName,
        Key: { PK: `CUSTOMER#${transfer.customerTenantId}`, SK: `TRANSFER#${transfer.id}` },
      }),
    );
    expect(Item).not.toHaveProperty('claimsInFlight'); // DynamoDB drops the empty set
    expect(Item?.version).toBe(2);
  });

  it('a replacement that died between its header write and its items counts as in flight', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    await transfers.markClaimsInFlight(...key(transfer), 'patch-1');
    await transfers.replaceLineItems(...key(transfer), [lineItem(1), lineItem(2)], {
      expectedVersion: 1,
      claimsInFlight: 'patch-1',
    });
    expect(await inFlight(transfer)).toBe(false);
    // As if the process died after the header write, before the second item was written.
    await db.documentClient.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: { PK: `CUSTOMER#${transfer.customerTenantId}`, SK: `TRANSFER#${transfer.id}#ITEM#2#2` },
      }),
    );
    const read = await transfers.getWithClaimsInFlight(...key(transfer));
    expect(read?.transfer.lineItems).toEqual([lineItem(1)]);
    expect(read?.claimsInFlight).toBe(true);
  });

  it('marks only an Active transfer, and never creates a header that is not there', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    await transfers.changeStatus(...key(transfer), { from: ['Active'], to: 'Canceled' });
    const refused = await transfers.markClaimsInFlight(...key(transfer), 'late').catch((error) => error);
    expect(refused).toBeInstanceOf(TransferStatusConflictError);
    expect((refused as TransferStatusConflictError).currentStatus).toBe('Canceled');
    expect(await inFlight(transfer)).toBe(false);
    await expect(
      transfers.markClaimsInFlight(transfer.customerTenantId, 'missing', 'm'),
    ).rejects.toBeInstanceOf(NotFoundError);
    await transfers.clearClaimsInFlight(transfer.customerTenantId, 'missing', 'm');
    expect(await transfers.getWithClaimsInFlight(transfer.customerTenantId, 'missing')).toBeUndefined();
    expect(await transfers.getHeader(transfer.customerTenantId, 'missing')).toBeUndefined();
  });
});

describe('status changes', () => {
  it('20 concurrent changes from Active, to Accepted or Canceled: exactly one winner', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    const attempts = Array.from({ length: 20 }, (_, index) =>
      transfers.changeStatus(transfer.customerTenantId, transfer.id, {
        from: ['Active'],
        to: index % 2 === 0 ? 'Accepted' : 'Canceled',
        set: { lastModifiedUser: `caller-${index}` },
      }),
    );
    const results = await Promise.allSettled(attempts);
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const winner = (winners[0] as PromiseFulfilledResult<{ transfer: TransferHeader }>).value.transfer;
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(TransferStatusConflictError);
        expect((result.reason as TransferStatusConflictError).currentStatus).toBe(winner.status);
      }
    }
    const stored = await transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.status).toBe(winner.status);
    expect(stored?.lastModifiedUser).toBe(winner.lastModifiedUser);
    expect(stored?.version).toBe(2);
  });

  it('honours the expected version and reports the stored one', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    const failure = await transfers
      .changeStatus(transfer.customerTenantId, transfer.id, {
        from: ['Active'],
        to: 'Accepted',
        expectedVersion: 7,
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(VersionConflictError);
    const { transfer: accepted } = await transfers.changeStatus(transfer.customerTenantId, transfer.id, {
      from: ['Active'],
      to: 'Accepted',
      expectedVersion: 1,
      set: { acceptedTime: at(10) },
    });
    expect(accepted).toMatchObject({ status: 'Accepted', acceptedTime: at(10), version: 2 });
    await expect(
      transfers.changeStatus(transfer.customerTenantId, 'missing', { from: ['Active'], to: 'Canceled' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stores the acceptance token only while Active and hands it to the winner of the status change', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    await transfers.storeAcceptanceToken(transfer.customerTenantId, transfer.id, 'token-1');
    await transfers.storeAcceptanceToken(transfer.customerTenantId, transfer.id, 'token-2');
    expect(await transfers.getStatusAndAcceptanceToken(transfer.customerTenantId, transfer.id)).toEqual({
      status: 'Active',
      acceptanceTaskToken: 'token-2',
    });
    // The token is not a field of the transfer a partner reads.
    expect(await transfers.get(transfer.customerTenantId, transfer.id)).not.toHaveProperty(
      'acceptanceTaskToken',
    );
    const result = await transfers.changeStatus(transfer.customerTenantId, transfer.id, {
      from: ['Active'],
      to: 'Canceled',
    });
    expect(result.acceptanceTaskToken).toBe('token-2');
    expect(result.transfer).not.toHaveProperty('acceptanceTaskToken');
    const late = await transfers
      .storeAcceptanceToken(transfer.customerTenantId, transfer.id, 'token-3')
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(TransferStatusConflictError);
    expect((late as TransferStatusConflictError).currentStatus).toBe('Canceled');
    await expect(
      transfers.storeAcceptanceToken(transfer.customerTenantId, 'missing', 't'),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await transfers.getStatusAndAcceptanceToken(transfer.customerTenantId, 'missing')).toBeUndefined();
  });

  it('storing the token does not bump the version (a concurrent PATCH is not disturbed)', async () => {
    const transfer = newTransfer({ lineItems: [lineItem(0)] });
    await transfers.create(transfer);
    await transfers.storeAcceptanceToken(transfer.customerTenantId, transfer.id, 'token');
    await transfers.recordNotificationError(transfer.customerTenantId, transfer.id, {
      event: 'TransferCreated',
      recipient: 'a@x.example',
      description: 'bounced',
    });
    await transfers.replaceLineItems(transfer.customerTenantId, transfer.id, [lineItem(1)], {
      expectedVersion: 1,
    });
    expect(await transfers.getStatusAndAcceptanceToken(transfer.customerTenantId, transfer.id)).toMatchObject(
      {
        acceptanceTaskToken: 'token',
      },
    );
  });
});

describe('line items during the move', () => {
  async function movingTransfer() {
    const transfer = newTransfer({ status: 'InProgress', lineItems: [lineItem(0), lineItem(1)] });
    await transfers.create(transfer);
    return transfer;
  }

  it('counts attempts, records and clears errors, completes once', async () => {
    const transfer = await movingTransfer();
    const { customerTenantId, id } = transfer;
    const failedOnce = await transfers.updateLineItem(customerTenantId, id, '0', {
      status: 'InProgress',
      incrementAttempts: true,
      transferError: { code: 'Throttled', description: 'try later' },
    });
    expect(failedOnce).toMatchObject({
      status: 'InProgress',
      attempts: 1,
      transferError: { code: 'Throttled' },
    });
    const done = await transfers.updateLineItem(customerTenantId, id, '0', {
      status: 'Complete',
      incrementAttempts: true,
      transferError: null,
      completedTime: at(100),
    });
    expect(done).toEqual({ ...lineItem(0), status: 'Complete', attempts: 2, completedTime: at(100) });
    // A retried move after completion changes nothing.
    const retried = await transfers
      .updateLineItem(customerTenantId, id, '0', { status: 'Complete', incrementAttempts: true })
      .catch((error: unknown) => error);
    expect(retried).toBeInstanceOf(LineItemStatusConflictError);
    expect((retried as LineItemStatusConflictError).currentStatus).toBe('Complete');
    const stored = await transfers.get(customerTenantId, id);
    expect(stored?.lineItems[0]?.attempts).toBe(2);
    expect(stored?.lineItems[1]).toEqual(lineItem(1));
  });

  it('honours an explicit status condition and reports a missing item', async () => {
    const transfer = await movingTransfer();
    const refused = await transfers
      .updateLineItem(
        transfer.customerTenantId,
        transfer.id,
        '1',
        { status: 'Failed' },
        { statusIn: ['InProgress'] },
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LineItemStatusConflictError);
    expect((refused as LineItemStatusConflictError).currentStatus).toBe('Pending');
    await expect(
      transfers.updateLineItem(transfer.customerTenantId, transfer.id, '9', { status: 'Failed' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('concurrent completions of one item count exactly once', async () => {
    const transfer = await movingTransfer();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        transfers.updateLineItem(transfer.customerTenantId, transfer.id, '1', {
          status: 'Complete',
          incrementAttempts: true,
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await transfers.get(transfer.customerTenantId, transfer.id))?.lineItems[1]?.attempts).toBe(1);
  });
});

describe('notification errors', () => {
  it('records one error per (event, recipient), the latest description wins', async () => {
    const transfer = newTransfer();
    await transfers.create(transfer);
    const record = (recipient: string, description: string) =>
      transfers.recordNotificationError(transfer.customerTenantId, transfer.id, {
        event: 'TransferCreated',
        recipient,
        description,
      });
    await Promise.all([record('a@x.example', 'first'), record('b@x.example', 'bounced')]);
    await record('A@x.example', 'second');
    const stored = await transfers.get(transfer.customerTenantId, transfer.id);
    expect(stored?.notificationErrors).toEqual([
      { event: 'TransferCreated', recipient: 'A@x.example', description: 'second' },
      { event: 'TransferCreated', recipient: 'b@x.example', description: 'bounced' },
    ]);
    const statuses: TransferStatus[] = ['Active'];
    expect(statuses).toContain(stored?.status);
    await expect(
      transfers.recordNotificationError(transfer.customerTenantId, 'missing', {
        event: 'e',
        recipient: 'r',
        description: 'd',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
