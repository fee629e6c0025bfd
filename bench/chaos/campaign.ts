// One chaos campaign: the local cloud as a child process on a data folder, a seeded workload of concurrent transfers
// through the typed client, `kill -9` at random moments with a restart on the same data, dropped client connections
// and emulator faults; the invariants after every restart and at the end. Bounded in time and in requests.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { DEFAULT_STALE_CLAIM_SECONDS } from '#adapters/dynamodb-email-marker-store.ts';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { loadLocalIdentity } from '#local/identity.ts';
import { LOCAL_TABLE_NAME } from '#local/local-cloud.ts';
import { sandboxUser } from '#local/sandbox.ts';
import { apiChecks } from './api-checks.ts';
import { CHAOS_PARTNERS, chaosCustomers, seedChaosCustomers } from './chaos-sandbox.ts';
import { buildCloudBundle } from './cloud-bundle.ts';
import { CloudProcess, pickCloudPorts } from './cloud-process.ts';
import { type CheckTally, checkCompletion, checkSafety, safetyCheck, type Violation } from './invariants.ts';
import { MailLog } from './mail-log.ts';
import { Random } from './random.ts';
import { runningExecutions } from './running-executions.ts';
import { tableReader } from './table-snapshot.ts';
import {
  checkWebhookCompletion,
  checkWebhookSafety,
  type WebhookFigures,
  webhookFigures,
} from './webhook-invariants.ts';
import { registerEndpoint, removeStrays, WebhookLog } from './webhook-log.ts';
import {
  type AcknowledgedWrite,
  type PartnerRole,
  planTransfers,
  runTransfer,
  type SlowWrite,
  type TransferRun,
  type WorkloadContext,
  type WorkloadCounters,
  workloadClients,
} from './workload.ts';

export interface CampaignOptions {
  seed: number;
  /** Time budget of the whole campaign, settling and final checks included. */
  minutes: number;
  transfers: number;
  kills: number;
  /** Where the run folder (data, log) goes; the report is returned and written by the caller. */
  workDir: string;
  /** Seconds before an unaccepted transfer expires (short, so `expire` transfers finish within the run). */
  acceptanceWindowSeconds?: number;
  /** Share of client requests whose connection drops (before or after the server answered). */
  dropRate?: number;
  emulatorFaults?: string;
  /** Probability of a transient sandbox move failure per attempt (permanent failures: one subscription in 8). */
  transientMoveRate?: number;
  /**
   * The local cloud's `--crash-lease-seconds`: how long a write's in-progress marker and an email's claim left by a
   * kill block their retries. Default: the production values (60 s and 120 s); the small campaign in `npm test`
   * takes less so as not to wait minutes after a kill in the middle of a write or a send.
   */
  crashLeaseSeconds?: number;
  onProgress?: (line: string) => void;
  onCloudOutput?: (line: string) => void;
}

export interface CampaignViolation extends Violation {
  seed: number;
  /** The campaign step at which the check found it (writes, kills and checks are numbered in one sequence). */
  step: number;
  /** Kills before that step. */
  afterKills: number;
  reproduce: string;
}

export interface CampaignReport {
  seed: number;
  options: Omit<CampaignOptions, 'onProgress' | 'onCloudOutput' | 'workDir'>;
  startedAt: string;
  durationSeconds: number;
  transfers: {
    planned: number;
    /** Create requests issued (a refused create is issued again with a fresh look at the billing). */
    issued: number;
    created: number;
    byFate: Record<string, number>;
    finalStatus: Record<string, number>;
  };
  kills: number;
  /** Kills per minute of the kill phase (from the first start to the last restart). */
  killsPerMinute: number;
  restartSeconds: { median: number; max: number };
  faults: { droppedConnections: number; emulatorFaults: string; moveFaults: string };
  requests: WorkloadCounters & { replays: number; apiReads: number };
  emails: number;
  /** Invariant 6's deliveries, and how long the end waited for the last of them after everything was terminal. */
  webhooks: WebhookFigures & { drainSeconds: number };
  invariantChecks: number;
  checkRounds: number;
  violations: CampaignViolation[];
  /** Transfers the workload gave up on (the cloud stayed down longer than a write's deadline). */
  gaveUp: string[];
  /** Writes answered more than 10 s after they were issued, and what they waited on. */
  slowWrites: SlowWrite[];
  timeline: { step: number; atSeconds: number; event: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long the end waits for webhook deliveries once every transfer is terminal and no execution runs: the relay
 * polls every 100 ms and a delivery is attempted at once, but a deliverer that failed on an emulator fault leaves its
 * message hidden for the queue's visibility timeout (90 s) before the retry.
 */
const WEBHOOK_DRAIN_MS = 150_000;

/** Partner endpoints: every event to the first partner's, a few types to the second's (subscriptions filter). */
const WEBHOOK_SUBSCRIPTIONS: Record<PartnerRole, string[]> = {
  first: ['*'],
  second: [
    'transfer.created',
    'transfer.lineItem.failed',
    'transfer.completed',
    'transfer.canceled',
    'transfer.expired',
  ],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] ?? 0);
}

function countBy<Item>(items: readonly Item[], key: (item: Item) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** The command that runs this campaign again: same seed, sizes and settings. */
export function reproduceCommand(
  options: Pick<
    CampaignOptions,
    'seed' | 'transfers' | 'kills' | 'minutes' | 'acceptanceWindowSeconds' | 'crashLeaseSeconds'
  >,
): string {
  return [
    `npm run chaos -- --seed ${options.seed} --transfers ${options.transfers} --kills ${options.kills} --minutes ${options.minutes}`,
    ...(options.acceptanceWindowSeconds === undefined
      ? []
      : [`--acceptance-window-seconds ${options.acceptanceWindowSeconds}`]),
    ...(options.crashLeaseSeconds === undefined
      ? []
      : [`--crash-lease-seconds ${options.crashLeaseSeconds}`]),
  ].join(' ');
}

/**
 * The console is no part of the campaign (nothing it checks goes through it), but a start without `--console-dir`
 * builds it with vite: one page saying so instead, rather than a vite build of the console at every campaign (5 to
 * 15 s of the small campaign in `npm test`).
 */
async function placeholderConsole(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><title>chaos campaign</title><p>The console is not served during a chaos campaign.</p>\n',
  );
  return dir;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const progress = options.onProgress ?? (() => undefined);
  const startedAt = Date.now();
  const budgetMs = options.minutes * 60_000;
  // The workload takes the first 70% of the budget. Kills go on until 90%: after the last writes they still hit
  // workflows moving, expiring and sending emails. What is left is for transfers to finish and the final checks
  // (a 10-minute campaign settled in about 20 s).
  const activeMs = budgetMs * 0.7;
  const killPhaseMs = budgetMs * 0.85;
  const killCutoffMs = budgetMs * 0.9;
  const at = () => Math.round((Date.now() - startedAt) / 100) / 10;
  const random = new Random(options.seed);
  const workloadRandom = random.fork(1);
  const killRandom = random.fork(2);
  const acceptanceWindowSeconds = options.acceptanceWindowSeconds ?? 45;
  const customers = chaosCustomers(Math.max(2, Math.ceil(options.transfers / 4)));
  const permanentIds = customers
    .filter((_, index) => index % 8 === 3)
    .map((c) => c.subscriptionIds[1] as string);
  const moveFaults = [
    `transient:${options.transientMoveRate ?? 0.15}`,
    ...(permanentIds.length > 0 ? [`permanent:${permanentIds.join(',')}`] : []),
    `seed:${options.seed}`,
  ].join(';');
  const emulatorFaults =
    options.emulatorFaults ??
    `dynamodb:throttle=0.01,drop=0.005;ses:throttle=0.05,drop=0.02;stepfunctions:throttle=0.02,drop=0.01;seed:${options.seed}`;

  const runDir = join(options.workDir, `chaos-seed-${options.seed}`);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(join(runDir, 'home'), { recursive: true });
  const identity = await loadLocalIdentity(join(runDir, 'home', 'signing-key.json'));
  const ports = await pickCloudPorts();
  const bundle = await buildCloudBundle();
  const consoleDir = await placeholderConsole(join(runDir, 'console'));
  progress(`Bundled the local cloud in ${at()} s`);
  const cloud = new CloudProcess({
    main: bundle.main,
    consoleDir,
    ports,
    dataDir: join(runDir, 'data'),
    home: join(runDir, 'home'),
    acceptanceWindowSeconds,
    moveFaults,
    emulatorFaults,
    ...(options.crashLeaseSeconds === undefined ? {} : { crashLeaseSeconds: options.crashLeaseSeconds }),
    onOutput: options.onCloudOutput ?? (() => undefined),
  });
  // The partners' webhook receiver lives here, in the campaign's process: it hears every delivery across the kills.
  const webhooks = new WebhookLog();
  await webhooks.start();
  try {
    return await attack();
  } finally {
    await cloud.stop();
    await webhooks.stop();
    await bundle.remove();
  }

  async function attack(): Promise<CampaignReport> {
    const dynamodbUrl = `http://127.0.0.1:${ports.dynamodb}`;
    const apiUrl = `http://127.0.0.1:${ports.api}`;

    let step = 0;
    let kills = 0;
    const timeline: CampaignReport['timeline'] = [];
    const mark = (event: string) => {
      step += 1;
      timeline.push({ step, atSeconds: at(), event });
      return step;
    };
    const violations: CampaignViolation[] = [];
    let invariantChecks = 0;
    let checkRounds = 0;
    const reproduce = reproduceCommand(options);
    const record = (tally: CheckTally, checkStep: number) => {
      invariantChecks += tally.checks;
      for (const violation of tally.violations) {
        if (violations.some((known) => known.message === violation.message)) continue;
        violations.push({ ...violation, seed: options.seed, step: checkStep, afterKills: kills, reproduce });
        progress(`VIOLATION of invariant ${violation.invariant} (step ${checkStep}): ${violation.message}`);
      }
    };

    await cloud.start();
    const restartDurations: number[] = [];
    const table = tableReader(dynamodbUrl, LOCAL_TABLE_NAME);
    const executions = runningExecutions(`http://127.0.0.1:${ports.stepfunctions}`);
    const documentClient = createDynamoDbDocumentClient({
      endpoint: dynamodbUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 8,
    });
    await seedChaosCustomers(
      createDynamoDbStorage({ documentClient, tableName: LOCAL_TABLE_NAME }),
      customers,
    );
    documentClient.destroy();
    const tokenOf = async (role: PartnerRole) => {
      const user = sandboxUser(CHAOS_PARTNERS[role], 'AdminAgent');
      return identity.signToken({ tenantId: user.tenantId, userId: user.userId, roles: ['AdminAgent'] });
    };
    const counters: WorkloadCounters = {
      writes: 0,
      createsIssued: 0,
      acknowledged: 0,
      refusals: 0,
      refusalsByCode: {},
      clientRetries: 0,
      serverErrors: 0,
      droppedConnections: 0,
    };
    const acknowledged: AcknowledgedWrite[] = [];
    const context: WorkloadContext = {
      apiUrl,
      tokens: { first: await tokenOf('first'), second: await tokenOf('second') },
      random: workloadRandom.fork(3),
      dropRate: options.dropRate ?? 0.05,
      writeDeadlineMs: Math.max(60_000, activeMs / 3),
      nextStep: () => mark('write'),
      counters,
      acknowledged,
      slowWrites: [],
      log: progress,
    };
    const clients = workloadClients(context);
    for (const role of ['first', 'second'] as const)
      await registerEndpoint(
        webhooks,
        apiUrl,
        context.tokens[role],
        CHAOS_PARTNERS[role],
        role,
        WEBHOOK_SUBSCRIPTIONS[role],
      );
    for (const role of ['first', 'second'] as const)
      await removeStrays(webhooks, apiUrl, context.tokens[role]);
    const deliveries = { received: webhooks.received(), endpoints: webhooks.registered() };
    const mail = new MailLog(`http://127.0.0.1:${ports.ses}`);
    mail.start();
    const terminalSeen = new Map<string, string>();
    const api = apiChecks(clients, acknowledged, terminalSeen);

    const runs: TransferRun[] = [];
    // The transfers start over the first 80% of the active phase counted from the campaign's start, like the kill
    // moments, not from the end of the setup (bundle, first start, endpoints: 12 s of the small campaign in
    // `npm test` under load), which only pushed the last transfers and their expiry past the kills.
    const spreadMs = Math.max(activeMs * 0.8 - (Date.now() - startedAt), activeMs * 0.4);
    const plans = planTransfers(workloadRandom, customers, options.transfers, spreadMs);
    const workload = Promise.all(
      plans.map((plan) => runTransfer(context, clients, plan).then((run) => runs.push(run))),
    );
    let workloadDone = false;
    void workload.then(() => {
      workloadDone = true;
    });

    const status = () => {
      const created = acknowledged.filter((write) => write.kind === 'create').length;
      return `kills ${kills}/${options.kills} · transfers ${runs.length}/${options.transfers} done, ${created} created · writes ${counters.acknowledged} acknowledged, ${counters.refusals} refused · webhooks ${webhooks.received().length} received · checks ${invariantChecks} · violations ${violations.length}`;
    };

    // Kills at random moments spread over the kill phase; a kill due during a restart waits for a short random uptime
    // counted from the restart (the checks run meanwhile), so the cloud always gets some work done between two kills.
    const killMoments = Array.from({ length: options.kills }, () => killRandom.next() * killPhaseMs).sort(
      (a, b) => a - b,
    );
    let lastProgress = 0;
    const killPhaseStarted = Date.now();
    let upSince = killPhaseStarted;
    for (const moment of killMoments) {
      const uptime = killRandom.between(200, 1000);
      const due = Math.max(startedAt + moment, upSince + uptime);
      if (due > startedAt + killCutoffMs) break;
      await sleep(due - Date.now());
      await cloud.kill();
      kills += 1;
      mail.cloudStopped();
      mark(`kill -9 #${kills}`);
      const restartStarted = Date.now();
      await cloud.start();
      upSince = Date.now();
      restartDurations.push((upSince - restartStarted) / 1000);
      const checkStep = mark(`restart #${kills}; invariants`);
      checkRounds += 1;
      record(await safetyCheck(table, acknowledged, terminalSeen, mail.emails(), deliveries), checkStep);
      record(await api.sample(context.random, 3), checkStep);
      if (Date.now() - lastProgress > 3000) {
        lastProgress = Date.now();
        progress(`[${at().toFixed(0).padStart(4)} s] ${status()}`);
      }
    }
    const killPhaseMinutes = (upSince - killPhaseStarted) / 60_000;
    const killsPerMinute = killPhaseMinutes > 0 ? Math.round((kills / killPhaseMinutes) * 10) / 10 : 0;
    progress(
      `[${at().toFixed(0).padStart(4)} s] kills done (${killsPerMinute} a minute); waiting for the workload: ${status()}`,
    );
    while (!workloadDone && Date.now() < startedAt + budgetMs * 0.92) await sleep(500);

    // Settle: every transfer must reach a terminal state within the rest of the budget (generous and bounded), and
    // the workflow must have had its turn: a transfer is terminal before its execution has written its audit entries
    // and sent its completion emails, so the final checks wait until no execution runs any more.
    // A kill during an email send leaves a claim the restarted workflow waits out (NotificationInFlight, retried up to a
    // minute apart) until it goes stale: the bound allows for that after the acceptance window.
    const settleUntil = Math.max(
      startedAt + budgetMs * 0.95,
      Date.now() +
        acceptanceWindowSeconds * 1000 +
        ((options.crashLeaseSeconds ?? DEFAULT_STALE_CLAIM_SECONDS) + 60) * 1000,
    );
    while (Date.now() < settleUntil) {
      const snapshot = await table.snapshot();
      const open = [...snapshot.headers.values()].filter((h) =>
        ['Active', 'Accepted', 'InProgress'].includes(h.status),
      ).length;
      const running = await executions.running();
      if (open === 0 && running === 0 && workloadDone) break;
      if (Date.now() - lastProgress > 5000) {
        lastProgress = Date.now();
        progress(
          `[${at().toFixed(0).padStart(4)} s] settling: ${open} transfer(s) not terminal yet, ${running} workflow execution(s) running`,
        );
      }
      await sleep(1000);
    }
    // Then the webhooks: every event recorded reaches each subscribed endpoint (the relay and the deliverer run on
    // after the last workflow step). Bounded: what has not arrived by then is a violation of the final check.
    const drainStarted = Date.now();
    const drainUntil = Math.max(drainStarted + WEBHOOK_DRAIN_MS, startedAt + budgetMs);
    while (Date.now() < drainUntil) {
      const pending = checkWebhookCompletion(
        await table.snapshot(),
        deliveries.received,
        deliveries.endpoints,
      );
      if (pending.violations.length === 0) break;
      if (Date.now() - lastProgress > 5000) {
        lastProgress = Date.now();
        progress(
          `[${at().toFixed(0).padStart(4)} s] waiting for webhook deliveries: ${pending.violations.length} not done yet (${pending.violations[0]?.message})`,
        );
      }
      await sleep(500);
    }
    const drainSeconds = Math.round((Date.now() - drainStarted) / 100) / 10;
    await mail.poll();
    const finalStep = mark('final invariants');
    checkRounds += 1;
    const acknowledgedBeforeFinal = [...acknowledged];
    const receivedBeforeFinal = [...deliveries.received];
    const finalSnapshot = await table.snapshot();
    record(checkSafety(finalSnapshot, acknowledgedBeforeFinal, terminalSeen, mail.emails()), finalStep);
    record(checkWebhookSafety(finalSnapshot, receivedBeforeFinal, deliveries.endpoints), finalStep);
    record(checkCompletion(finalSnapshot), finalStep);
    record(checkWebhookCompletion(finalSnapshot, receivedBeforeFinal, deliveries.endpoints), finalStep);
    record(await api.full(finalSnapshot), finalStep);
    mail.stop();
    table.close();
    executions.close();

    const created = acknowledged.filter((write) => write.kind === 'create');
    return {
      seed: options.seed,
      options: {
        seed: options.seed,
        minutes: options.minutes,
        transfers: options.transfers,
        kills: options.kills,
        acceptanceWindowSeconds,
        dropRate: context.dropRate,
        emulatorFaults,
        transientMoveRate: options.transientMoveRate ?? 0.15,
        ...(options.crashLeaseSeconds === undefined ? {} : { crashLeaseSeconds: options.crashLeaseSeconds }),
      },
      startedAt: new Date(startedAt).toISOString(),
      durationSeconds: at(),
      transfers: {
        planned: plans.length,
        issued: counters.createsIssued,
        created: created.length,
        byFate: countBy(plans, (plan) => plan.fate),
        finalStatus: countBy(
          [...finalSnapshot.headers.values()].filter((h) => created.some((w) => w.transferId === h.id)),
          (h) => h.status,
        ),
      },
      kills,
      killsPerMinute,
      restartSeconds: { median: median(restartDurations), max: Math.max(0, ...restartDurations) },
      faults: { droppedConnections: counters.droppedConnections, emulatorFaults, moveFaults },
      requests: { ...counters, replays: api.counts.replays, apiReads: api.counts.reads },
      emails: mail.emails().length,
      webhooks: { ...webhookFigures(finalSnapshot, receivedBeforeFinal, deliveries.endpoints), drainSeconds },
      invariantChecks,
      checkRounds,
      violations,
      slowWrites: context.slowWrites,
      gaveUp: runs.filter((run) => run.gaveUp).map((run) => `transfer #${run.plan.index}: ${run.gaveUp}`),
      timeline,
    };
  }
}
