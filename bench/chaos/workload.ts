// The campaign's workload: many concurrent transfers issued through the typed client (@partner-transfers/client),
// each write with its own MS-RequestId kept across every retry (the client's own, and the campaign's when the cloud
// was down for longer than the client waits). Every acknowledged (2xx) write is recorded for invariant 5.
import {
  ApiError,
  createPartnerTransfersClient,
  newRequestId,
  type PartnerTransfersClient,
  type SubmittedTransfer,
  type Transfer,
} from '@partner-transfers/client';
import { CHAOS_PARTNERS, type ChaosCustomer } from './chaos-sandbox.ts';
import type { Random } from './random.ts';

export type PartnerRole = keyof typeof CHAOS_PARTNERS;
export type TransferFate = 'accept' | 'accept-in-one-call' | 'cancel' | 'set-items-then-cancel' | 'expire';
export type WriteKind = 'create' | 'set-items' | 'accept-in-one-call' | 'submit' | 'cancel';

export interface AcknowledgedWrite {
  /** The campaign step that issued it (see the report's timeline). */
  step: number;
  transferIndex: number;
  kind: WriteKind;
  caller: PartnerRole;
  customerId: string;
  transferId: string;
  requestId: string;
  /** What was sent, so the same request can be replayed. */
  body?: unknown;
  answer: WriteAnswer;
}

/** A write's answer: the transfer, or (submit) the accepted transfer without its line items. */
export type WriteAnswer = Transfer | SubmittedTransfer;

export interface TransferPlan {
  index: number;
  customer: ChaosCustomer;
  fate: TransferFate;
  startAfterMs: number;
  /** Which of the customer's subscriptions to ask for (by position), plus the non-transferable one sometimes. */
  itemPicks: number[];
  withNonTransferable: boolean;
}

export interface TransferRun {
  plan: TransferPlan;
  transferId?: string;
  source?: PartnerRole;
  /** Writes refused with a 4xx (expected under races: the transfer expired, a subscription is claimed...). */
  refusals: string[];
  /** A write the campaign gave up on (the cloud stayed unreachable). */
  gaveUp?: string;
}

export interface WorkloadCounters {
  writes: number;
  /** Create requests issued (distinct MS-RequestIds): a refused create is issued again, see runTransfer. */
  createsIssued: number;
  acknowledged: number;
  refusals: number;
  /** Refusals by write and code, e.g. `create: SourcePartnerDoesNotBillCustomer`. */
  refusalsByCode: Record<string, number>;
  clientRetries: number;
  serverErrors: number;
  droppedConnections: number;
}

export function planTransfers(
  random: Random,
  customers: readonly ChaosCustomer[],
  count: number,
  spreadMs: number,
): TransferPlan[] {
  return Array.from({ length: count }, (_, index) => {
    const roll = random.next();
    const fate: TransferFate =
      roll < 0.12
        ? 'expire'
        : roll < 0.24
          ? 'cancel'
          : roll < 0.32
            ? 'set-items-then-cancel'
            : roll < 0.6
              ? 'accept-in-one-call'
              : 'accept';
    const customer = customers[index % customers.length] as ChaosCustomer;
    const itemPicks = [0, 1, 2].filter(() => random.next() < 0.6);
    return {
      index,
      customer,
      fate,
      startAfterMs: Math.floor(random.next() * spreadMs),
      itemPicks: itemPicks.length > 0 ? itemPicks : [random.int(3)],
      withNonTransferable: random.next() < 0.15,
    };
  });
}

export interface WorkloadContext {
  apiUrl: string;
  tokens: Record<PartnerRole, string>;
  random: Random;
  /** Probability that the client's connection drops before (half) or after (half) the server answered. */
  dropRate: number;
  /** How long one write is retried in all (across restarts) before the campaign gives up on it. */
  writeDeadlineMs: number;
  nextStep: () => number;
  counters: WorkloadCounters;
  acknowledged: AcknowledgedWrite[];
  /** Writes that took longer than SLOW_WRITE_MS to be answered, with what they waited on (the report lists them). */
  slowWrites: SlowWrite[];
  log: (line: string) => void;
}

export interface SlowWrite {
  step: number;
  kind: WriteKind;
  seconds: number;
  outcome: string;
  /** Why it was sent again, each reason once: a code (RequestInProgress after a kill mid-write) or an error. */
  waitedOn: string[];
}

/** A write answered later than this is worth naming: it holds its transfer (and the small campaign's end) back. */
const SLOW_WRITE_MS = 10_000;

class DroppedConnectionError extends TypeError {
  constructor(when: string) {
    super(`fetch failed: connection dropped by the chaos campaign ${when}`);
  }
}

function droppingFetch(context: WorkloadContext) {
  return async (request: Request): Promise<Response> => {
    const roll = context.random.next();
    if (roll < context.dropRate / 2) {
      context.counters.droppedConnections += 1;
      throw new DroppedConnectionError('before sending');
    }
    const response = await fetch(request);
    if (roll < context.dropRate) {
      context.counters.droppedConnections += 1;
      await response.body?.cancel();
      throw new DroppedConnectionError('after the server answered');
    }
    return response;
  };
}

export function workloadClients(context: WorkloadContext): Record<PartnerRole, PartnerTransfersClient> {
  const make = (role: PartnerRole) =>
    createPartnerTransfersClient({
      baseUrl: context.apiUrl,
      token: context.tokens[role],
      retry: { attempts: 5, baseDelayMs: 200, maxDelayMs: 2000 },
      fetch: droppingFetch(context),
      onRetry: (event) => {
        context.counters.clientRetries += 1;
        if (typeof event.reason === 'number' && event.reason >= 500) context.counters.serverErrors += 1;
      },
    });
  return { first: make('first'), second: make('second') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates issued for one planned transfer at most (each refused one is followed by a fresh look at the billing). */
const MAX_CREATE_ATTEMPTS = 5;

/** One write, retried with the same request id until it is answered (2xx or 4xx) or the deadline passes. */
async function write<Answer extends WriteAnswer>(
  context: WorkloadContext,
  run: TransferRun,
  kind: WriteKind,
  caller: PartnerRole,
  body: unknown,
  send: (requestId: string) => Promise<Answer>,
): Promise<Answer | undefined> {
  const requestId = newRequestId();
  const step = context.nextStep();
  const started = Date.now();
  const deadline = started + context.writeDeadlineMs;
  const waitedOn = new Set<string>();
  const answered = (outcome: string) => {
    const elapsed = Date.now() - started;
    if (elapsed > SLOW_WRITE_MS)
      context.slowWrites.push({
        step,
        kind,
        seconds: Math.round(elapsed / 100) / 10,
        outcome,
        waitedOn: [...waitedOn],
      });
  };
  context.counters.writes += 1;
  if (kind === 'create') context.counters.createsIssued += 1;
  for (;;) {
    try {
      const answer = await send(requestId);
      context.counters.acknowledged += 1;
      context.acknowledged.push({
        step,
        transferIndex: run.plan.index,
        kind,
        caller,
        customerId: run.plan.customer.customerId,
        transferId: answer.id,
        requestId,
        body,
        answer,
      });
      answered('acknowledged');
      return answer;
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.code !== 'RequestInProgress') {
        context.counters.refusals += 1;
        const refusal = `${kind}: ${error.code}`;
        context.counters.refusalsByCode[refusal] = (context.counters.refusalsByCode[refusal] ?? 0) + 1;
        run.refusals.push(refusal);
        answered(`refused: ${error.code}`);
        return undefined;
      }
      const reason = error instanceof Error ? error.message : String(error);
      waitedOn.add(error instanceof ApiError ? `${error.status} ${error.code}` : reason.slice(0, 80));
      if (Date.now() > deadline) {
        run.gaveUp = `${kind} (step ${step}): ${reason}`;
        answered('given up');
        return undefined;
      }
      await sleep(1000);
    }
  }
}

async function readWithRetry<Result>(context: WorkloadContext, read: () => Promise<Result>): Promise<Result> {
  const deadline = Date.now() + context.writeDeadlineMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1000);
    }
  }
}

/** The source is whichever partner bills the customer's first picked subscription now (the other one when none). */
async function pickSource(
  context: WorkloadContext,
  clients: Record<PartnerRole, PartnerTransfersClient>,
  plan: TransferPlan,
): Promise<PartnerRole> {
  const billedByFirst = await readWithRetry(context, async () => {
    const ids: string[] = [];
    for await (const subscription of clients.first.listSubscriptions(plan.customer.customerId))
      if (subscription.billingPartnerTenantId === CHAOS_PARTNERS.first) ids.push(subscription.id);
    return ids;
  });
  const wanted = plan.customer.subscriptionIds[plan.itemPicks[0] ?? 0];
  return wanted !== undefined && billedByFirst.includes(wanted) ? 'first' : 'second';
}

export async function runTransfer(
  context: WorkloadContext,
  clients: Record<PartnerRole, PartnerTransfersClient>,
  plan: TransferPlan,
): Promise<TransferRun> {
  const run: TransferRun = { plan, refusals: [] };
  await sleep(plan.startAfterMs);
  const customerId = plan.customer.customerId;
  let source: PartnerRole | undefined;
  let created: Transfer | undefined;
  // The source is read from the subscriptions before the create, and other transfers of the same customer move them
  // meanwhile: the source may bill nothing of the customer any more by the time the create runs (a create retried
  // across a kill runs its checks again, seconds later), and the create is rightly refused
  // (SourcePartnerDoesNotBillCustomer). A partner would look again and ask again: so does the workload, with a new
  // request, until the transfer is created (bounded), so that the campaign creates the transfers it was asked for.
  for (let attempt = 1; !created; attempt++) {
    source = await pickSource(context, clients, plan).catch(() => undefined);
    if (!source) {
      run.gaveUp = 'could not list the subscriptions';
      return run;
    }
    const target: PartnerRole = source === 'first' ? 'second' : 'first';
    const createBody = {
      sourcePartnerTenantId: CHAOS_PARTNERS[source],
      sourcePartnerName: source === 'first' ? 'Contoso Direct' : 'Fabrikam Direct',
      customerEmailId: plan.customer.contactEmail,
      transferType: 3,
    };
    created = await write(context, run, 'create', target, createBody, (requestId) =>
      clients[target].createTransfer(customerId, createBody, { requestId }),
    );
    if (!created && (run.gaveUp !== undefined || attempt >= MAX_CREATE_ATTEMPTS)) return run;
  }
  if (!source) return run;
  const target: PartnerRole = source === 'first' ? 'second' : 'first';
  run.source = source;
  run.transferId = created.id;
  const transferId = created.id;
  const lineItems = [
    ...plan.itemPicks.map((pick) => ({ subscriptionId: plan.customer.subscriptionIds[pick] as string })),
    ...(plan.withNonTransferable ? [{ subscriptionId: plan.customer.nonTransferableId }] : []),
  ];
  const setItems = async () => {
    const body = { lineItems };
    return write(context, run, 'set-items', source, body, (requestId) =>
      clients[source].updateTransfer(customerId, transferId, body, { requestId }),
    );
  };
  const cancel = () =>
    write(context, run, 'cancel', target, undefined, (requestId) =>
      clients[target].cancelTransfer(customerId, transferId, { requestId }),
    );
  switch (plan.fate) {
    case 'expire':
      return run;
    case 'cancel':
      await cancel();
      return run;
    case 'set-items-then-cancel':
      await setItems();
      await cancel();
      return run;
    case 'accept-in-one-call': {
      const body = { status: 'Accepted' as const, lineItems };
      await write(context, run, 'accept-in-one-call', source, body, (requestId) =>
        clients[source].updateTransfer(customerId, transferId, body, { requestId }),
      );
      return run;
    }
    case 'accept':
      await setItems();
      await write(context, run, 'submit', source, undefined, (requestId) =>
        clients[source].submitTransfer(customerId, transferId, { requestId }),
      );
      return run;
  }
}
