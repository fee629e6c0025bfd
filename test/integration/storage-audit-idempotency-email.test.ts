// Audit log, MS-RequestId idempotency and email markers against a real dynalite. A settable clock drives expiry.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { Storage } from '#application/ports.ts';
import { InvalidContinuationTokenError } from '#application/storage-errors.ts';
import type { AuditRecord } from '#domain/model.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';

let db: LocalDynamoDb;
let storage: Storage;
let nowMs = Date.parse('2030-06-01T12:00:00.000Z');
const advance = (seconds: number) => {
  nowMs += seconds * 1000;
};

beforeAll(async () => {
  db = await startDynalite('storage-audit-test');
  storage = createDynamoDbStorage({
    documentClient: db.documentClient,
    tableName: db.tableName,
    now: () => new Date(nowMs),
    idempotency: { inProgressTimeoutSeconds: 60, retentionSeconds: 3600 },
    emailMarkers: { staleClaimSeconds: 120 },
  });
});

afterAll(async () => {
  await db.stop();
});

const uid = (prefix: string) => `${prefix}-${randomUUID()}`;
const minute = (n: number) => new Date(Date.parse('2030-01-01T00:00:00.000Z') + n * 60_000).toISOString();

function auditRecord(
  partnerTenantId: string,
  index: number,
  overrides: Partial<AuditRecord> = {},
): AuditRecord {
  return {
    id: `audit-${index}`,
    partnerTenantId,
    operation: 'TransferCreated',
    transferId: `transfer-${index % 3}`,
    customerId: 'customer-1',
    actor: 'admin@target.example',
    at: minute(index),
    details: { lineItems: index, canceled: false, reason: 'test' },
    ...overrides,
  };
}

describe('AuditRepository', () => {
  it('appends once per record id: a duplicate is a success that changes nothing', async () => {
    const partner = uid('partner');
    const record = auditRecord(partner, 1);
    expect(await storage.audit.append(record)).toEqual({ appended: true });
    expect(await storage.audit.append({ ...record, at: minute(50), actor: 'someone else' })).toEqual({
      appended: false,
    });
    expect((await storage.audit.list(partner)).items).toEqual([record]);
  });

  it('lists newest first, page by page, by time range and by transfer', async () => {
    const partner = uid('partner');
    const records = Array.from({ length: 12 }, (_, index) => auditRecord(partner, index));
    await Promise.all(records.map((record) => storage.audit.append(record)));
    await storage.audit.append(auditRecord(uid('other-partner'), 1));

    const seen: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await storage.audit.list(partner, {
        limit: 5,
        ...(continuationToken ? { continuationToken } : {}),
      });
      seen.push(...page.items.map((record) => record.id));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(seen).toEqual(records.map((record) => record.id).reverse());

    const ranged = await storage.audit.list(partner, { from: minute(3), to: minute(5) });
    expect(ranged.items.map((record) => record.id)).toEqual(['audit-5', 'audit-4', 'audit-3']);
    expect(
      (await storage.audit.list(partner, { from: minute(10) })).items.map((record) => record.id),
    ).toEqual(['audit-11', 'audit-10']);
    expect((await storage.audit.list(partner, { to: minute(1) })).items.map((record) => record.id)).toEqual([
      'audit-1',
      'audit-0',
    ]);
    expect((await storage.audit.list(partner, { from: minute(5), to: minute(3) })).items).toEqual([]);

    const ofTransfer = await storage.audit.list(partner, { transferId: 'transfer-1', from: minute(4) });
    expect(ofTransfer.items.map((record) => record.id)).toEqual(['audit-10', 'audit-7', 'audit-4']);
  });

  it('refuses a garbage continuation token', async () => {
    await expect(
      storage.audit.list(uid('partner'), { continuationToken: 'not-a-token' }),
    ).rejects.toBeInstanceOf(InvalidContinuationTokenError);
  });
});

describe('IdempotencyStore', () => {
  it('begin, complete, replay', async () => {
    const key = { tenantId: uid('tenant'), userId: 'user-1', requestId: uid('request') };
    expect(await storage.idempotency.begin(key, 'fp-1')).toBe('new');
    expect(await storage.idempotency.begin(key, 'fp-1')).toBe('in-progress');
    const response = {
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"t1"}',
    };
    expect(await storage.idempotency.complete(key, 'fp-1', response)).toBe(true);
    expect(await storage.idempotency.begin(key, 'fp-1')).toEqual({ replay: response });
    // Another tenant's, or another user's, identical request id is another request.
    expect(await storage.idempotency.begin({ ...key, tenantId: uid('tenant') }, 'fp-1')).toBe('new');
    expect(await storage.idempotency.begin({ ...key, userId: 'user#2 with any characters' }, 'fp-1')).toBe(
      'new',
    );
  });

  it('detects the same request id with another body, in progress or completed', async () => {
    const key = { tenantId: uid('tenant'), userId: 'user-1', requestId: uid('request') };
    await storage.idempotency.begin(key, 'fp-1');
    expect(await storage.idempotency.begin(key, 'fp-2')).toBe('fingerprint-mismatch');
    expect(await storage.idempotency.complete(key, 'fp-2', { statusCode: 200 })).toBe(false);
    await storage.idempotency.complete(key, 'fp-1', { statusCode: 200 });
    expect(await storage.idempotency.begin(key, 'fp-2')).toBe('fingerprint-mismatch');
  });

  it('abandon lets the retry run again; a crashed attempt’s lock lapses', async () => {
    const key = { tenantId: uid('tenant'), userId: 'user-1', requestId: uid('request') };
    await storage.idempotency.begin(key, 'fp');
    expect(await storage.idempotency.abandon(key, 'other-fp')).toBe(false);
    expect(await storage.idempotency.abandon(key, 'fp')).toBe(true);
    expect(await storage.idempotency.begin(key, 'fp')).toBe('new');
    advance(59);
    expect(await storage.idempotency.begin(key, 'fp')).toBe('in-progress');
    advance(2);
    expect(await storage.idempotency.begin(key, 'fp-other')).toBe('fingerprint-mismatch');
    expect(await storage.idempotency.begin(key, 'fp')).toBe('new');
  });

  it('treats an expired record as absent (dynalite has no TTL)', async () => {
    const key = { tenantId: uid('tenant'), userId: 'user-1', requestId: uid('request') };
    await storage.idempotency.begin(key, 'fp-1');
    await storage.idempotency.complete(key, 'fp-1', { statusCode: 202, body: 'done' });
    advance(3599);
    expect(await storage.idempotency.begin(key, 'fp-2')).toBe('fingerprint-mismatch');
    advance(2);
    expect(await storage.idempotency.begin(key, 'fp-2')).toBe('new');
  });

  it('remembers a large response (a transfer with 1,000 line items) compressed', async () => {
    const key = { tenantId: uid('tenant'), userId: 'user-1', requestId: uid('request') };
    const body = JSON.stringify({
      lineItems: Array.from({ length: 1000 }, (_, index) => ({
        id: String(index),
        subscriptionId: randomUUID(),
        friendlyName: `Subscription ${index} ${'with a long friendly name '.repeat(12)}`,
        status: 'Pending',
      })),
    });
    // Larger than a whole DynamoDB item may be: only the compressed form fits.
    expect(body.length).toBeGreaterThan(400 * 1024);
    await storage.idempotency.begin(key, 'fp');
    await storage.idempotency.complete(key, 'fp', { statusCode: 200, body });
    expect(await storage.idempotency.begin(key, 'fp')).toEqual({
      replay: { statusCode: 200, body },
    });
  });

  it('exactly one of 10 concurrent first attempts owns the request', async () => {
    const key = { tenantId: uid('tenant'), userId: 'user-1', requestId: uid('request') };
    const results = await Promise.all(Array.from({ length: 10 }, () => storage.idempotency.begin(key, 'fp')));
    expect(results.filter((result) => result === 'new')).toHaveLength(1);
    expect(results.filter((result) => result === 'in-progress')).toHaveLength(9);
  });
});

describe('EmailMarkerStore', () => {
  it('exactly one of 10 concurrent claims wins', async () => {
    const transferId = uid('transfer');
    const claims = await Promise.all(
      Array.from({ length: 10 }, () =>
        storage.emailMarkers.claim(transferId, 'TransferCreated', 'a@x.example'),
      ),
    );
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    expect(claims.filter((claim) => !claim.claimed && claim.state === 'sending')).toHaveLength(9);
  });

  it('sent is final; the recipient is compared without case', async () => {
    const transferId = uid('transfer');
    const claim = await storage.emailMarkers.claim(transferId, 'TransferCreated', 'Admin@X.example');
    expect(claim.claimed).toBe(true);
    await storage.emailMarkers.markSent(transferId, 'TransferCreated', 'Admin@X.example', {
      messageId: 'm-1',
    });
    advance(3600);
    expect(await storage.emailMarkers.claim(transferId, 'TransferCreated', 'admin@x.example')).toEqual({
      claimed: false,
      state: 'sent',
    });
    expect(await storage.emailMarkers.get(transferId, 'TransferCreated', 'admin@x.example')).toMatchObject({
      state: 'sent',
      messageId: 'm-1',
    });
    // Other events and recipients are separate markers.
    expect(
      (await storage.emailMarkers.claim(transferId, 'TransferCompleted', 'admin@x.example')).claimed,
    ).toBe(true);
    expect((await storage.emailMarkers.claim(transferId, 'TransferCreated', 'other@x.example')).claimed).toBe(
      true,
    );
  });

  it('a stale claim (crash after claim, before send) is taken over; a fresh one is not', async () => {
    const transferId = uid('transfer');
    const first = await storage.emailMarkers.claim(transferId, 'TransferCreated', 'a@x.example');
    advance(119);
    expect((await storage.emailMarkers.claim(transferId, 'TransferCreated', 'a@x.example')).claimed).toBe(
      false,
    );
    advance(2);
    const takeover = await storage.emailMarkers.claim(transferId, 'TransferCreated', 'a@x.example');
    expect(takeover).toMatchObject({ claimed: true, takenOver: true });
    expect(first).toMatchObject({ claimed: true, takenOver: false });
    // The crashed sender's token no longer releases anything.
    if (!first.claimed || !takeover.claimed) throw new Error('expected both claims');
    expect(
      await storage.emailMarkers.release(transferId, 'TransferCreated', 'a@x.example', first.claimToken),
    ).toBe(false);
    expect(
      await storage.emailMarkers.release(transferId, 'TransferCreated', 'a@x.example', takeover.claimToken),
    ).toBe(true);
    expect(await storage.emailMarkers.get(transferId, 'TransferCreated', 'a@x.example')).toBeUndefined();
    expect((await storage.emailMarkers.claim(transferId, 'TransferCreated', 'a@x.example')).claimed).toBe(
      true,
    );
  });

  it('a released claim is claimable at once; a sent marker cannot be released', async () => {
    const transferId = uid('transfer');
    const claim = await storage.emailMarkers.claim(transferId, 'TransferCompleted', 'c@x.example');
    if (!claim.claimed) throw new Error('expected a claim');
    await storage.emailMarkers.markSent(transferId, 'TransferCompleted', 'c@x.example');
    expect(
      await storage.emailMarkers.release(transferId, 'TransferCompleted', 'c@x.example', claim.claimToken),
    ).toBe(false);
    expect((await storage.emailMarkers.get(transferId, 'TransferCompleted', 'c@x.example'))?.state).toBe(
      'sent',
    );
  });
});
