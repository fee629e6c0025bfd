// A small fixed-seed chaos campaign (npm run chaos, made small): the local cloud as a child process killed with
// kill -9 and restarted on its data folder, a dozen transfers through the typed client with dropped connections and
// emulator faults, webhook endpoints for both partners, and the six invariants after every restart and at the end.
// A seed that ever fails goes in SEEDS; one runs alone with `npm run chaos -- --seed <n> --transfers 12 --kills 3
// --minutes 0.7 --acceptance-window-seconds 10 --crash-lease-seconds 20`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEmulatorFaults } from '#local/emulator-faults.ts';
import { runCampaign } from '../../bench/chaos/campaign.ts';
import { checkSafety, safetyCheck } from '../../bench/chaos/invariants.ts';
import type { StoredHeader, TableSnapshot } from '../../bench/chaos/table-snapshot.ts';
import { checkWebhookCompletion, checkWebhookSafety } from '../../bench/chaos/webhook-invariants.ts';
import type { ReceivedDelivery, RegisteredEndpoint } from '../../bench/chaos/webhook-log.ts';
import type { AcknowledgedWrite } from '../../bench/chaos/workload.ts';

/**
 * Seed 1 found SES emails sent twice: the SDK retried a SendEmail whose answer was lost, and a stale claim was taken
 * over and sent again after a kill -9 between send and mark (fixed in the notifier: see task-idempotency.test.ts).
 * It later reported "acknowledged create but the transfer is not stored" after a restart: the check asked a table
 * snapshot for a write acknowledged while the snapshot was being taken (fixed in the campaign: see "the safety
 * check after a restart" below).
 */
const SEEDS = [1];

describe('chaos campaign (small, fixed seeds)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  for (const seed of SEEDS) {
    it(
      `seed ${seed}: kills, restarts and faults leave every invariant intact`,
      async () => {
        const workDir = await mkdtemp(join(tmpdir(), 'chaos-'));
        dirs.push(workDir);
        const report = await runCampaign({
          seed,
          // 42 s of budget: the transfers start in the first 23.5 s (the kills until 36 s), and the ones left to
          // expire do 10 s after their creation; what takes longer (a kill in the middle of a write or an email send
          // holds it for the crash lease) is waited for, bounded.
          minutes: 0.7,
          transfers: 12,
          kills: 3,
          workDir,
          acceptanceWindowSeconds: 10,
          // A kill in the middle of a write or an email send leaves a marker or a claim that blocks retries: 20 s
          // here (as long as a function may run on AWS), not the production 60 s and 120 s.
          crashLeaseSeconds: 20,
        });
        expect(report.violations).toEqual([]);
        expect(report.kills).toBeGreaterThanOrEqual(1);
        expect(report.transfers.created).toBeGreaterThan(0);
        expect(report.invariantChecks).toBeGreaterThan(0);
        // Invariant 6 had deliveries to check: both endpoints got events.
        expect(report.webhooks.endpoints).toHaveLength(2);
        expect(report.webhooks.distinctDelivered).toBeGreaterThan(report.transfers.created);
        // Every created transfer reached a terminal state (invariant 3 is also among the checks above).
        const open = ['Active', 'Accepted', 'InProgress'].map(
          (status) => report.transfers.finalStatus[status] ?? 0,
        );
        expect(open).toEqual([0, 0, 0]);
      },
      15 * 60_000,
    );
  }
});

describe('emulator fault rules', () => {
  it('parses rates per service and a seed, and names what is wrong', () => {
    expect(parseEmulatorFaults('dynamodb:throttle=0.1,drop=0.02; ses:drop=1; seed:7')).toEqual({
      rates: {
        dynamodb: { throttle: 0.1, drop: 0.02 },
        ses: { throttle: 0, drop: 1 },
        stepfunctions: { throttle: 0, drop: 0 },
      },
      seed: 7,
    });
    expect(parseEmulatorFaults('').rates.ses).toEqual({ throttle: 0, drop: 0 });
    expect(() => parseEmulatorFaults('sqs:throttle=0.1')).toThrow(/unknown service 'sqs'/);
    expect(() => parseEmulatorFaults('dynamodb:slow=0.1')).toThrow(/unknown fault 'slow'/);
    expect(() => parseEmulatorFaults('dynamodb:throttle=2')).toThrow(/between 0 and 1/);
  });
});

const emptySnapshot = (): TableSnapshot => ({
  headers: new Map(),
  transfers: new Map(),
  lineItems: new Map(),
  subscriptions: new Map(),
  audit: [],
  emailMarkers: [],
  adminEmails: new Map(),
  webhookDeliveries: [],
  outboxPending: 0,
});

describe('the safety check after a restart', () => {
  const acknowledgedCreate = (transferId: string, step: number) =>
    ({
      step,
      transferIndex: 0,
      kind: 'create',
      caller: 'first',
      customerId: 'c0000000-0000-4000-8000-000000000001',
      transferId,
      requestId: `request-${step}`,
    }) as AcknowledgedWrite;

  // Seed 2026 (--minutes 2 --transfers 40 --kills 20) reported "acknowledged create but the transfer is not stored"
  // right after restarts: a write retried across the kill committed and was acknowledged while the table was being
  // scanned, behind the scan. Only writes acknowledged before the snapshot began can be asked of it.
  it('asks the snapshot only for writes acknowledged before it began, and still for every one of those', async () => {
    const acknowledged = [acknowledgedCreate('before-the-snapshot', 1)];
    const table = {
      async snapshot() {
        acknowledged.push(acknowledgedCreate('during-the-snapshot', 2));
        return emptySnapshot();
      },
    };
    const tally = await safetyCheck(table, acknowledged, new Map(), []);
    expect(tally.violations).toEqual([
      {
        invariant: 5,
        message: 'acknowledged create (step 1) but the transfer is not stored',
        transferId: 'before-the-snapshot',
      },
    ]);
  });

  // Seed 2026 (--minutes 10, 2026-12-02) reported "subscription ... was moved by T but is billed by <T's target>, not
  // that transfer's target" right after restart 27: T was created, accepted and completed in 1.5 s while the check
  // scanned, after its first pass (transfers) went by and before its second (subscriptions). The mover is now looked
  // up among the transfers either pass saw (a transfer's target and creation time never change).
  it("judges a move by a transfer created during the snapshot by that transfer's target", () => {
    const subscription = (id: string, owner: string, movedBy: string) => ({
      customerId: 'c1',
      subscriptionId: id,
      billingPartnerTenantId: owner,
      gsi2pk: `BILLING#${owner}`,
      movedByTransferId: movedBy,
    });
    const snapshot = emptySnapshot();
    snapshot.transfers.set('created-during-the-snapshot', {
      targetPartnerTenantId: 'target',
      createdTime: '2026-12-02T07:44:00.318Z',
    });
    snapshot.subscriptions.set('moved', subscription('moved', 'target', 'created-during-the-snapshot'));
    snapshot.subscriptions.set('wrong', subscription('wrong', 'source', 'created-during-the-snapshot'));
    snapshot.subscriptions.set('unknown', subscription('unknown', 'target', 'never-stored'));
    const tally = checkSafety(snapshot, [], new Map(), []);
    expect(tally.violations.map((violation) => violation.message)).toEqual([
      "subscription wrong was moved by created-during-the-snapshot but is billed by source, not that transfer's target",
      "subscription unknown was moved by never-stored but is billed by target, not that transfer's target",
    ]);
  });
});

describe('invariant 6: webhook deliveries against what the service stored', () => {
  const everything: RegisteredEndpoint = {
    path: '/hooks/first/1',
    endpointId: 'endpoint-all',
    partnerTenantId: 'first',
    events: ['*'],
    secret: 'whsec_unused',
  };
  const someTypes: RegisteredEndpoint = {
    path: '/hooks/second/1',
    endpointId: 'endpoint-some',
    partnerTenantId: 'second',
    events: ['transfer.created', 'transfer.canceled'],
    secret: 'whsec_unused',
  };
  const header = (status: string, eventCount: number): StoredHeader => ({
    id: 't1',
    customerTenantId: 'c1',
    sourcePartnerTenantId: 'first',
    targetPartnerTenantId: 'second',
    customerEmailId: 'it@example.com',
    status,
    createdTime: '2026-12-02T10:00:00.000Z',
    notificationErrors: [],
    eventCount,
    pendingEvents: 0,
  });
  const types = ['transfer.created', 'transfer.updated', 'transfer.canceled'];
  /** t1 recorded three events; the service stored a delivery of each to every endpoint subscribed to its type. */
  const storedSnapshot = (): TableSnapshot => ({
    ...emptySnapshot(),
    headers: new Map([['t1', header('Canceled', 3)]]),
    webhookDeliveries: [everything, someTypes].flatMap((endpoint) =>
      types
        .map((type, index) => ({ type, sequence: index + 1 }))
        .filter(({ type }) => endpoint.events.includes('*') || endpoint.events.includes(type))
        .map(({ type, sequence }) => ({
          id: `delivery-${endpoint.endpointId}-${sequence}`,
          endpointId: endpoint.endpointId,
          eventId: `event-${sequence}`,
          type,
          transferId: 't1',
          sequence,
          status: 'Succeeded',
          attemptCount: 1,
        })),
    ),
  });
  let index = 0;
  const arrived = (
    endpoint: RegisteredEndpoint,
    sequence: number,
    change: Partial<ReceivedDelivery> = {},
  ) => ({
    index: index++,
    path: endpoint.path,
    endpointId: endpoint.endpointId,
    webhookId: `event-${sequence}`,
    signatureValid: true,
    type: types[sequence - 1] ?? '',
    transferId: 't1',
    sequence,
    ...change,
  });
  const endpoints = [everything, someTypes];

  it('accepts every event delivered once or more with its stable id', () => {
    const received = [
      arrived(everything, 1),
      arrived(everything, 2),
      arrived(everything, 2), // a redelivery after a kill: same id, same event
      arrived(everything, 3),
      arrived(someTypes, 1),
      arrived(someTypes, 3),
    ];
    expect(checkWebhookSafety(storedSnapshot(), received, endpoints).violations).toEqual([]);
    expect(checkWebhookCompletion(storedSnapshot(), received, endpoints).violations).toEqual([]);
  });

  it('names a lost event, an id never stored, a changed payload, a bad signature and an unsubscribed type', () => {
    const received = [
      arrived(everything, 1),
      arrived(everything, 2, { signatureValid: false }),
      arrived(everything, 2, { type: 'transfer.accepted' }),
      arrived(everything, 3, { webhookId: 'never-stored' }), // and event-3 itself never arrives
      arrived(someTypes, 1),
      arrived(someTypes, 2),
    ];
    const messages = [
      ...checkWebhookSafety(storedSnapshot(), received, endpoints).violations,
      ...checkWebhookCompletion(storedSnapshot(), received, endpoints).violations,
    ].map((violation) => violation.message);
    expect(messages).toEqual([
      "webhook event-2 (transfer.updated) to endpoint-all: the signature does not verify with the endpoint's secret",
      'webhook-id event-2 carried transfer.accepted t1#2 but the service stored transfer.updated t1#2',
      'webhook-id event-2 carried transfer.updated t1#2 and later transfer.accepted t1#2',
      'webhook-id never-stored (transfer.canceled, t1#3) reached endpoint-all but the service stored no such delivery',
      'endpoint endpoint-some (events transfer.created,transfer.canceled) got a transfer.updated it did not subscribe to',
      'webhook-id event-2 (transfer.updated, t1#2) reached endpoint-some but the service stored no such delivery',
      'event #3 (transfer.canceled) to endpoint-all: delivery Succeeded after 1 attempt(s), never received',
      'event #3 (transfer.canceled) to endpoint-some: delivery Succeeded after 1 attempt(s), never received',
    ]);
  });
});
