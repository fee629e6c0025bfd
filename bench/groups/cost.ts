// Cost and limits: per transfer of N line items, the state transitions and history events (from
// GetExecutionHistory on the embedded Step Functions endpoint), Lambda requests and GB-seconds, DynamoDB request
// units (counted by a proxy), and what they cost at list prices; then the largest N that stays within the
// 25,000-event history limit when every line item exhausts its retries.
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { functionSettings } from '#aws/transfer-function.ts';
import type { TokenAuthorizer } from '#local/api-gateway.ts';
import { importHandler } from '#local/workflow-functions.ts';
import { inProcessLambdaContext } from '#shared/in-process-lambda-context.ts';
import {
  type AslDefinition,
  type AslState,
  DEFAULT_WORKFLOW_SETTINGS,
  retriesWithinWindow,
} from '#statemachines/transfer-definition.ts';
import { WORKFLOW_ERRORS } from '#statemachines/workflow-errors.ts';
import {
  describePrices,
  HISTORY_EVENT_LIMIT,
  LAMBDA_BILLING_GRANULARITY_MS,
  PAYLOAD_LIMIT_BYTES,
  PRICES,
} from '../prices.ts';
import { type BenchCloud, startBenchCloud } from '../support/bench-cloud.ts';
import { type CapacityCounts, subtractCounts } from '../support/capacity-proxy.ts';
import { fetchHistory, type HistorySummary, summariseHistory } from '../support/execution-history.ts';
import type { GroupRun } from '../support/group-run.ts';
import type { ReportTable, TargetVerdict } from '../support/report.ts';
import { fixed, formatUsd, linearFit, median } from '../support/stats.ts';
import { benchTokens, runTransfer, seedMovableSubscriptions } from '../support/transfer-lifecycle.ts';

const MEMORY_GB = functionSettings.memorySize / 1024;
const ARCHITECTURE = functionSettings.architecture.name;
/** The API calls of one transfer's lifecycle: create, set line items (PATCH), submit. */
const API_REQUESTS_PER_TRANSFER = 3;
const TRANSITIONS_TARGET = (n: number) => 10 + 3 * n;
const TARGET_LINE_ITEMS = 1000;
/** Every line-item move fails transiently on every attempt: each item exhausts its move retrier. */
const WORST_CASE_FAULTS = 'transient:1';

export interface TransferCost {
  lineItems: number;
  scenario: 'happy' | 'worst';
  finalStatus: string;
  history: HistorySummary;
  lambda: {
    invocations: number;
    gbSeconds: number;
    byTask: Record<string, { invocations: number; ms: number }>;
  };
  dynamoDb: CapacityCounts;
  emails: number;
  usd: {
    stepFunctions: number;
    lambda: number;
    dynamoDb: number;
    apiGateway: number;
    ses: number;
    total: number;
  };
}

async function sentEmails(bench: BenchCloud): Promise<number> {
  const response = await fetch(`${bench.cloud.urls.ses}/store`);
  const store = (await response.json()) as { emails?: unknown[] };
  return store.emails?.length ?? 0;
}

/** Billed milliseconds of one invocation of each workflow task, measured on an uncontended run. */
type TaskDurations = Record<string, number>;

async function measureTransfer(
  bench: BenchCloud,
  lineItems: number,
  scenario: TransferCost['scenario'],
  tokens: Awaited<ReturnType<typeof benchTokens>>,
  durations: { authorizerMs: number; tasks: TaskDurations },
): Promise<TransferCost> {
  const capacity = bench.capacity;
  if (!capacity) throw new Error('the cost benchmark needs the capacity proxy');
  const subscriptions = await seedMovableSubscriptions(bench.cloud.storage, lineItems);
  await capacity.startCounting();
  const before = capacity.counts();
  const emailsBefore = await sentEmails(bench);
  const run = await runTransfer(bench, subscriptions, tokens);
  capacity.stopCounting();
  const dynamoDb = subtractCounts(capacity.counts(), before);
  const emails = (await sentEmails(bench)) - emailsBefore;
  const history = summariseHistory(await fetchHistory(bench.sfn, run.executionArn));

  // Lambda: the workflow's task invocations at their uncontended durations (in the local cloud ten concurrent moves
  // share one CPU; on AWS each runs in its own sandbox), the three API calls as the client timed them (an upper
  // bound: it includes HTTP and the authorizer), and the authorizer once per API call.
  const billed = (ms: number) =>
    Math.ceil(ms / LAMBDA_BILLING_GRANULARITY_MS) * LAMBDA_BILLING_GRANULARITY_MS;
  const byTask: TransferCost['lambda']['byTask'] = {};
  const add = (task: string, ms: number) => {
    const entry = byTask[task] ?? { invocations: 0, ms: 0 };
    entry.invocations += 1;
    entry.ms += billed(ms);
    byTask[task] = entry;
  };
  for (const invocation of run.invocations) {
    add(invocation.taskId, durations.tasks[invocation.taskId] ?? invocation.durationMs);
  }
  add('api:createTransfer', run.timings.create);
  add('api:updateTransfer', run.timings.setLineItems);
  add('api:submitTransfer', run.timings.submitRequest);
  for (let i = 0; i < API_REQUESTS_PER_TRANSFER; i += 1) add('authorizer', durations.authorizerMs);
  const invocations = Object.values(byTask).reduce((sum, entry) => sum + entry.invocations, 0);
  const gbSeconds = (Object.values(byTask).reduce((sum, entry) => sum + entry.ms, 0) / 1000) * MEMORY_GB;

  const usd = {
    stepFunctions: history.stateTransitions * PRICES.stepFunctions.perStateTransition,
    lambda: invocations * PRICES.lambda.perRequest + gbSeconds * PRICES.lambda.perGbSecondArm64,
    dynamoDb:
      dynamoDb.rru * PRICES.dynamoDb.perReadRequestUnit + dynamoDb.wru * PRICES.dynamoDb.perWriteRequestUnit,
    apiGateway: API_REQUESTS_PER_TRANSFER * PRICES.apiGateway.perRestRequest,
    ses: emails * PRICES.ses.perEmail,
    total: 0,
  };
  usd.total = usd.stepFunctions + usd.lambda + usd.dynamoDb + usd.apiGateway + usd.ses;
  return {
    lineItems,
    scenario,
    finalStatus: run.finalStatus,
    history,
    lambda: { invocations, gbSeconds, byTask },
    dynamoDb,
    emails,
    usd,
  };
}

function itemProcessor(definition: AslDefinition): AslDefinition | undefined {
  const map = Object.values(definition.States).find((state) => state.Type === 'Map');
  return (map?.ItemProcessor ?? map?.Iterator) as AslDefinition | undefined;
}

/** Retriers inside the Map's item processor, per state: what one line item can add in the worst case. */
function itemRetriers(definition: AslDefinition) {
  const processor = itemProcessor(definition);
  const retriers: { state: string; errors: string[]; maxAttempts: number }[] = [];
  for (const [name, state] of Object.entries(processor?.States ?? {}) as [string, AslState][]) {
    for (const retrier of (state.Retry as { ErrorEquals: string[]; MaxAttempts?: number }[] | undefined) ??
      []) {
      retriers.push({ state: name, errors: retrier.ErrorEquals, maxAttempts: retrier.MaxAttempts ?? 3 });
    }
  }
  return retriers;
}

export const run: GroupRun = async ({ quick }) => {
  const sizes = quick ? [1, 10, 100] : [1, 10, 100, 1000];
  const worstSizes = quick ? [1, 2] : [2, 4];
  const bench = await startBenchCloud({
    workflow: DEFAULT_WORKFLOW_SETTINGS,
    // Only the worst case retries; it would wait up to 72 hours of backoff otherwise.
    retryIntervalOverrideMs: 0,
    countCapacity: true,
  });
  try {
    const tokens = await benchTokens(bench);
    await runTransfer(bench, await seedMovableSubscriptions(bench.cloud.storage, 2), tokens);
    const authorizer = await importHandler<TokenAuthorizer>('functions/authorizer/handler.ts');
    const authorizerEvent: APIGatewayTokenAuthorizerEvent = {
      type: 'TOKEN',
      authorizationToken: `Bearer ${tokens.target}`,
      methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/local/POST/v1/customers',
    };
    const authorizerSamples: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const started = performance.now();
      await authorizer(authorizerEvent, inProcessLambdaContext('authorizer'));
      authorizerSamples.push(performance.now() - started);
    }
    // Uncontended duration of each task: a one-item transfer runs its tasks one after the other.
    const calibration = await runTransfer(
      bench,
      await seedMovableSubscriptions(bench.cloud.storage, 1),
      tokens,
    );
    const tasks: TaskDurations = {};
    for (const taskId of new Set(calibration.invocations.map((invocation) => invocation.taskId))) {
      tasks[taskId] = median(
        calibration.invocations.filter((i) => i.taskId === taskId).map((i) => i.durationMs),
      );
    }
    const durations = { authorizerMs: median(authorizerSamples), tasks };

    const happy: TransferCost[] = [];
    for (const lineItems of sizes) {
      happy.push(await measureTransfer(bench, lineItems, 'happy', tokens, durations));
    }
    process.env.SANDBOX_MOVE_FAULTS = WORST_CASE_FAULTS;
    const worst: TransferCost[] = [];
    try {
      for (const lineItems of worstSizes) {
        worst.push(await measureTransfer(bench, lineItems, 'worst', tokens, durations));
      }
    } finally {
      delete process.env.SANDBOX_MOVE_FAULTS;
    }
    return summarise(bench.definition, happy, worst, durations);
  } finally {
    await bench.close();
  }
};

function summarise(
  definition: AslDefinition,
  happy: TransferCost[],
  worst: TransferCost[],
  durations: { authorizerMs: number; tasks: TaskDurations },
) {
  const costTable: ReportTable = {
    title: `Cost per transfer (Lambda ${functionSettings.memorySize} MB ${ARCHITECTURE}; every item moves at the first attempt)`,
    headers: [
      'items',
      'transitions',
      '<= 10+3N',
      'events',
      'Lambda req',
      'GB-s',
      'RRU',
      'WRU',
      'Step Functions',
      'Lambda',
      'DynamoDB',
      'API GW + SES',
      'total',
      'per item',
    ],
    rows: happy.map((cost) => [
      cost.lineItems,
      cost.history.stateTransitions,
      cost.history.stateTransitions <= TRANSITIONS_TARGET(cost.lineItems)
        ? `yes (${TRANSITIONS_TARGET(cost.lineItems)})`
        : `NO (${TRANSITIONS_TARGET(cost.lineItems)})`,
      cost.history.events,
      cost.lambda.invocations,
      fixed(cost.lambda.gbSeconds, 3),
      fixed(cost.dynamoDb.rru, 1),
      fixed(cost.dynamoDb.wru, 0),
      formatUsd(cost.usd.stepFunctions),
      formatUsd(cost.usd.lambda),
      formatUsd(cost.usd.dynamoDb),
      formatUsd(cost.usd.apiGateway + cost.usd.ses),
      formatUsd(cost.usd.total),
      formatUsd(cost.usd.total / cost.lineItems),
    ]),
    notes: [
      ...describePrices(),
      'transitions = states entered + task retries (GetExecutionHistory); RRU/WRU counted per request by a proxy ' +
        'in front of the emulator (4 KB reads, half for eventually consistent; 1 KB writes, larger of before/after, ' +
        'plus one write per index the item is in; failed conditional writes charged); API calls = create, PATCH ' +
        'line items, submit (+ the authorizer for each).',
      `GB-s: each workflow task at its duration in an uncontended one-item run against the emulator (ms: ${Object.entries(
        durations.tasks,
      )
        .map(([task, ms]) => `${task} ${fixed(ms, 0)}`)
        .join(
          ', ',
        )}; authorizer ${fixed(durations.authorizerMs, 1)}); the API calls at their client-side time. ` +
        'On AWS a DynamoDB call is a network round trip (a few ms) rather than a loopback call; at these prices ' +
        'the Lambda line stays small either way.',
    ],
  };

  const lineThrough = (points: TransferCost[], value: (cost: TransferCost) => number) =>
    linearFit(points.map((cost) => ({ x: cost.lineItems, y: value(cost) })));
  const events = lineThrough(happy, (cost) => cost.history.events);
  const transitions = lineThrough(happy, (cost) => cost.history.stateTransitions);
  const payload = lineThrough(happy, (cost) => cost.history.maxPayloadBytes);
  const worstEvents = lineThrough(worst, (cost) => cost.history.events);
  const worstTransitions = lineThrough(worst, (cost) => cost.history.stateTransitions);
  const maxItems = (line: { intercept: number; slope: number }, limit: number) =>
    line.slope > 0 ? Math.floor((limit - line.intercept) / line.slope) : Number.POSITIVE_INFINITY;

  const retriers = itemRetriers(definition);
  const moveRetrier = retriers.find((retrier) => retrier.errors.includes(WORKFLOW_ERRORS.TransientMove));
  const otherRetries = retriers
    .filter((retrier) => retrier !== moveRetrier)
    .reduce((sum, retrier) => sum + retrier.maxAttempts, 0);
  // Each further retry of a task adds TaskScheduled, TaskStarted and TaskFailed.
  const boundSlope = worstEvents.slope + 3 * otherRetries;
  const happyMax = maxItems(events, HISTORY_EVENT_LIMIT);
  const worstMax = maxItems(worstEvents, HISTORY_EVENT_LIMIT);
  const boundMax = maxItems({ intercept: worstEvents.intercept, slope: boundSlope }, HISTORY_EVENT_LIMIT);
  const payloadMax = maxItems(payload, PAYLOAD_LIMIT_BYTES);
  const worstPerItemUsd = worst.length >= 2 ? lineThrough(worst, (cost) => cost.usd.total).slope : Number.NaN;

  const limitsTable: ReportTable = {
    title: 'Limits: history events (25,000 per execution) and payload (256 KiB) as a function of N',
    headers: ['scenario', 'events', 'transitions', 'largest N under 25,000 events', 'cost per item'],
    rows: [
      [
        'every item moves at once (fit over the runs above)',
        `${fixed(events.intercept, 0)} + ${fixed(events.slope, 2)} N`,
        `${fixed(transitions.intercept, 0)} + ${fixed(transitions.slope, 2)} N`,
        happyMax,
        formatUsd(
          happy.at(-1) ? (happy.at(-1)?.usd.total ?? 0) / (happy.at(-1)?.lineItems ?? 1) : Number.NaN,
        ),
      ],
      [
        `worst, measured: every move attempt fails transiently (${moveRetrier?.maxAttempts ?? '?'} retries per item, from retriesWithinWindow), N = ${worst.map((cost) => cost.lineItems).join(', ')}`,
        `${fixed(worstEvents.intercept, 0)} + ${fixed(worstEvents.slope, 1)} N`,
        `${fixed(worstTransitions.intercept, 0)} + ${fixed(worstTransitions.slope, 1)} N`,
        worstMax,
        formatUsd(worstPerItemUsd),
      ],
      [
        `worst, bound: also every other retrier of the item exhausted (+${otherRetries} retries)`,
        `${fixed(worstEvents.intercept, 0)} + ${fixed(boundSlope, 1)} N`,
        `${fixed(worstTransitions.intercept, 0)} + ${fixed(worstTransitions.slope + otherRetries, 1)} N`,
        boundMax,
        '',
      ],
    ],
    notes: [
      `Largest state payload: ${fixed(payload.intercept, 0)} + ${fixed(payload.slope, 1)} bytes x N ` +
        `(${happy.at(-1)?.history.maxPayloadEvent ?? '?'} at N = ${happy.at(-1)?.lineItems}), so the 256 KiB ` +
        `limit allows N <= ${payloadMax}.`,
      `Move retry policy: ${JSON.stringify(DEFAULT_WORKFLOW_SETTINGS.moveRetry)} -> MaxAttempts ` +
        `${retriesWithinWindow(DEFAULT_WORKFLOW_SETTINGS.moveRetry)} (statemachines/transfer-definition.ts).`,
    ],
  };

  const targets: TargetVerdict[] = [];
  const itemStates = new Set(Object.keys(itemProcessor(definition)?.States ?? {}));
  const fixedStates = Object.entries(happy[0]?.history.enteredByState ?? {})
    .filter(([name]) => !itemStates.has(name))
    .map(([name, count]) => (count > 1 ? `${name} x${count}` : name))
    .join(', ');
  const overTarget = happy.filter(
    (cost) => cost.history.stateTransitions > TRANSITIONS_TARGET(cost.lineItems),
  );
  targets.push({
    target: 'Transitions per transfer <= 10 + 3 x N',
    measured: happy
      .map(
        (cost) =>
          `N=${cost.lineItems}: ${cost.history.stateTransitions} (limit ${TRANSITIONS_TARGET(cost.lineItems)})`,
      )
      .join(', '),
    met: overTarget.length === 0,
    ...(overTarget.length === 0
      ? {}
      : {
          explanation:
            `the fixed part is ${fixed(transitions.intercept, 0)} transitions (${fixedStates}), above 10; per ` +
            `item ${fixed(transitions.slope, 2)}, so it holds from N = ` +
            `${Math.ceil((transitions.intercept - 10) / (3 - transitions.slope))} on`,
        }),
  });
  const largest = happy.find((cost) => cost.lineItems >= TARGET_LINE_ITEMS);
  const limitingFactor = Math.min(happyMax, worstMax, payloadMax);
  const supports =
    largest !== undefined && largest.finalStatus === 'Complete' && limitingFactor >= TARGET_LINE_ITEMS;
  targets.push({
    target: `Supports at least ${TARGET_LINE_ITEMS} line items per transfer within AWS limits (or switches strategy above a documented size)`,
    measured:
      `${largest ? `N=${largest.lineItems} ran ${largest.finalStatus} with ${largest.history.events} events and a ${largest.history.maxPayloadBytes}-byte largest payload; ` : 'N=1000 not run (quick); '}` +
      `largest N within 25,000 events: ${happyMax} if every item moves at once, ${worstMax} if every item exhausts its move retries (${boundMax} if every retrier is exhausted); payload allows ${payloadMax}`,
    met: largest === undefined ? null : supports,
    ...(supports || largest === undefined
      ? {}
      : {
          explanation:
            'the Map is INLINE, so every retry of every item is recorded in the one execution history: with ' +
            `${moveRetrier?.maxAttempts ?? '?'} retries in the 72-hour window, one item that keeps failing adds ` +
            `about ${fixed(worstEvents.slope, 0)} events, and ${worstMax + 1} such items exhaust the 25,000. A ` +
            'DISTRIBUTED Map (each item, or batch, in its own child execution with its own history) or a shorter ' +
            'in-workflow retry with a re-drive loop is needed above that size; nothing in the workflow switches ' +
            'strategy today',
        }),
  });

  return {
    title: 'Cost and limits per transfer',
    tables: [costTable, limitsTable],
    targets,
    data: {
      prices: PRICES,
      memoryGb: MEMORY_GB,
      architecture: ARCHITECTURE,
      happy,
      worst,
      fits: { events, transitions, payload, worstEvents, worstTransitions, boundSlope },
      limits: { happyMax, worstMax, boundMax, payloadMax },
      itemRetriers: retriers,
    },
  };
}
