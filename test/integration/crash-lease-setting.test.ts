// The local cloud's `--crash-lease-seconds`: how long what a killed process left behind blocks retries. Unset (AWS),
// a write's in-progress marker holds 60 s and an email's claim 120 s; set, the handlers' own wiring from the
// environment uses the shorter lease for both. Checked against a real dynalite, 30 s after a kill.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { transferWriteDependenciesFromEnvironment } from '#api/transfer-write-handler.ts';
import { parseCliOptions } from '#local/cli-options.ts';
import { LOCAL_REGION, type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';
import { emailMarkersFromEnvironment } from '#workflow/dependencies.ts';

const LEASE_VARIABLES = ['IDEMPOTENCY_IN_PROGRESS_SECONDS', 'EMAIL_STALE_CLAIM_SECONDS'] as const;

let db: LocalDynamoDb;
/** What a process killed 30 s ago left: its clock is 30 s behind. */
let killedProcess: ReturnType<typeof createDynamoDbStorage>;

beforeAll(async () => {
  db = await startDynalite('crash-lease-test');
  killedProcess = createDynamoDbStorage({
    documentClient: db.documentClient,
    tableName: db.tableName,
    now: () => new Date(Date.now() - 30_000),
  });
});

afterAll(async () => {
  await db.stop();
});

afterEach(() => {
  for (const name of LEASE_VARIABLES) delete process.env[name];
});

function environment(leaseSeconds?: number): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    TABLE_NAME: db.tableName,
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:unused',
  };
  for (const name of LEASE_VARIABLES) env[name] = leaseSeconds === undefined ? '' : String(leaseSeconds);
  return env;
}

describe('--crash-lease-seconds', () => {
  it('is a whole number of seconds, at most the shorter production lease (60 s)', () => {
    const parse = (value: string) => parseCliOptions(['--crash-lease-seconds', value], {});
    expect(parse('20')).toMatchObject({ crashLeaseSeconds: 20 });
    expect(parseCliOptions([], {})).toMatchObject({ crashLeaseSeconds: undefined });
    expect(parseCliOptions([], { LOCAL_CRASH_LEASE_SECONDS: '5' })).toMatchObject({ crashLeaseSeconds: 5 });
    expect(() => parse('61')).toThrow(/crashLeaseSeconds/);
    expect(() => parse('0')).toThrow(/crashLeaseSeconds/);
    expect(() => parse('1.5')).toThrow(/crashLeaseSeconds/);
  });

  it('makes the write handlers lock a request for the lease only: a retry 30 s later takes over when it is shorter', async () => {
    const retryIn30Seconds = createDynamoDbStorage({
      documentClient: db.documentClient,
      tableName: db.tableName,
      now: () => new Date(Date.now() + 30_000),
    });
    const retriedAfterKill = async (leaseSeconds?: number) => {
      // The handlers' SDK clients read the endpoint and region from the process environment, as in Lambda.
      Object.assign(process.env, environment(leaseSeconds));
      const key = { tenantId: 'tenant', userId: 'user', requestId: randomUUID() };
      const killed = transferWriteDependenciesFromEnvironment().storage;
      expect(await killed.idempotency.begin(key, 'fingerprint')).toBe('new');
      return retryIn30Seconds.idempotency.begin(key, 'fingerprint');
    };
    expect(await retriedAfterKill()).toBe('in-progress');
    expect(await retriedAfterKill(20)).toBe('new');
  });

  it('lets the workflow take over an email claim left 30 s ago only when the lease is shorter than that', async () => {
    const transferId = randomUUID();
    expect(
      await killedProcess.emailMarkers.claim(transferId, 'TransferCreated', 'a@x.example'),
    ).toMatchObject({
      claimed: true,
    });
    Object.assign(process.env, environment());
    expect(await emailMarkersFromEnvironment().claim(transferId, 'TransferCreated', 'a@x.example')).toEqual({
      claimed: false,
      state: 'sending',
    });
    Object.assign(process.env, environment(20));
    expect(
      await emailMarkersFromEnvironment().claim(transferId, 'TransferCreated', 'a@x.example'),
    ).toMatchObject({ claimed: true, takenOver: true });
  });
});
