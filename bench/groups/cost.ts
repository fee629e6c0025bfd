// Cost and limits: per transfer of N line items, the state transitions and history events of the execution and of
// the child executions its DISTRIBUTED Map started (GetExecutionHistory on the embedded Step Functions endpoint),
// Lambda requests and GB-seconds, DynamoDB request units (counted by a proxy), and what they cost at list prices;
// then the largest N within AWS limits when every line item exhausts its retries: the parent's history and the
// largest child's as a function of N, from real local histories and the retry schedule.
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { functionSettings } from '#aws/transfer-function.ts';
import type { TokenAuthorizer } from '#local/api-gateway.ts';
import { AUTHORIZER_ENTRY, importHandler } from '#local/handler-modules.ts';
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
import { fetchHistories, summariseHistories, type TransferHistories } from '../support/execution-history.ts';
import type { GroupRun } from '../support/group-run.ts';
import { CellProgress, itemsLabel } from '../support/progress.ts';
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
  histories: TransferHistories;
  lambda: {
    invocations: number;
    gbSeconds: number;
    byTask: Record<string, { invocations: number; ms: number }>;
  };
  dynamoDb: CapacityCounts;
  emails: number;
  usd: {
    stepFunctions: number;
    /** The same transfer with an INLINE Map (the design before): no transition per child execution started. */
    stepFunctionsInline: number;
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
  const histories = summariseHistories(await fetchHistories(bench.sfn, run.executionArn));

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
    stepFunctions: histories.billedTransitions * PRICES.stepFunctions.perStateTransition,
    stepFunctionsInline:
      (histories.billedTransitions - histories.children.count) * PRICES.stepFunctions.perStateTransition,
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
    histories,
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
  // Every item makes its full ~300 attempts here (pauses overridden to 0): minutes of CPU for a few dozen items,
  // and the parent's history is flat in N anyway (measured), so two small sizes fit the lines.
  const worstSizes = quick ? [1, 2] : [2, 8];
  const progress = new CellProgress(1 + sizes.length + worstSizes.length);
  const bench = await startBenchCloud({
    workflow: DEFAULT_WORKFLOW_SETTINGS,
    // Only the worst case retries; it would wait up to 72 hours of backoff otherwise.
    retryIntervalOverrideMs: 0,
    countCapacity: true,
  });
  try {
    progress.start('warm-up and calibration (one-item transfer, authorizer)');
    const tokens = await benchTokens(bench);
    await runTransfer(bench, await seedMovableSubscriptions(bench.cloud.storage, 2), tokens);
    const authorizer = await importHandler<TokenAuthorizer>(AUTHORIZER_ENTRY);
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
      progress.start(`${itemsLabel(lineItems)}, every move succeeds`);
      happy.push(await measureTransfer(bench, lineItems, 'happy', tokens, durations));
    }
    process.env.SANDBOX_MOVE_FAULTS = WORST_CASE_FAULTS;
    const worst: TransferCost[] = [];
    try {
      for (const lineItems of worstSizes) {
        progress.start(`${itemsLabel(lineItems)}, every move attempt fails for the whole window`);
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
      'events: parent / largest child',
      'Lambda req',
      'GB-s',
      'RRU',
      'WRU',
      'Step Functions',
      'SFN if INLINE',
      'Lambda',
      'DynamoDB',
      'API GW + SES',
      'total',
      'per item',
    ],
    rows: happy.map((cost) => [
      cost.lineItems,
      cost.histories.billedTransitions,
      cost.histories.billedTransitions <= TRANSITIONS_TARGET(cost.lineItems)
        ? `yes (${TRANSITIONS_TARGET(cost.lineItems)})`
        : `NO (${TRANSITIONS_TARGET(cost.lineItems)})`,
      `${cost.histories.parent.events} / ${cost.histories.children.maxEvents}`,
      cost.lambda.invocations,
      fixed(cost.lambda.gbSeconds, 3),
      fixed(cost.dynamoDb.rru, 1),
      fixed(cost.dynamoDb.wru, 0),
      formatUsd(cost.usd.stepFunctions),
      formatUsd(cost.usd.stepFunctionsInline),
      formatUsd(cost.usd.lambda),
      formatUsd(cost.usd.dynamoDb),
      formatUsd(cost.usd.apiGateway + cost.usd.ses),
      formatUsd(cost.usd.total),
      formatUsd(cost.usd.total / cost.lineItems),
    ]),
    notes: [
      ...describePrices(),
      "transitions = what Step Functions bills for a DISTRIBUTED Map: the parent's states entered and task " +
        "retries, one transition per child execution started, and each (Standard) child's own states entered " +
        'and retries (GetExecutionHistory of the parent and of every child). "SFN if INLINE" is the same transfer ' +
        'without the per-child transition: what the INLINE Map cost before.',
      'RRU/WRU counted per request by a proxy in front of the emulator (4 KB reads, half for eventually ' +
        'consistent; 1 KB writes, larger of before/after, plus one write per index the item is in; failed ' +
        'conditional writes charged); API calls = create, PATCH line items, submit (+ the authorizer for each).',
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
  const maxItems = (line: { intercept: number; slope: number }, limit: number) =>
    line.slope > 0 ? Math.floor((limit - line.intercept) / line.slope) : Number.POSITIVE_INFINITY;
  const parentEvents = lineThrough(happy, (cost) => cost.histories.parent.events);
  const transitions = lineThrough(happy, (cost) => cost.histories.billedTransitions);
  const payload = lineThrough(happy, (cost) => cost.histories.parent.maxPayloadBytes);
  const worstParentEvents = lineThrough(worst, (cost) => cost.histories.parent.events);
  const worstTransitions = lineThrough(worst, (cost) => cost.histories.billedTransitions);
  const happyChildEvents = Math.max(0, ...happy.map((cost) => cost.histories.children.maxEvents));
  const worstChildEvents = Math.max(0, ...worst.map((cost) => cost.histories.children.maxEvents));

  const retriers = itemRetriers(definition);
  const moveRetrier = retriers.find((retrier) => retrier.errors.includes(WORKFLOW_ERRORS.TransientMove));
  const moveAttempts = (moveRetrier?.maxAttempts ?? 0) + 1;
  const otherRetries = retriers
    .filter((retrier) => retrier !== moveRetrier)
    .reduce((sum, retrier) => sum + retrier.maxAttempts, 0);
  // Every attempt of a task adds TaskScheduled, TaskStarted and TaskFailed: the schedule predicts the child's size
  // up to the few fixed events around the attempts, which the measured child gives.
  const childFixedEvents = worstChildEvents - 3 * moveAttempts;
  const childBound = worstChildEvents + 3 * otherRetries;
  const payloadMax = maxItems(payload, PAYLOAD_LIMIT_BYTES);
  const parentMax = Math.min(
    maxItems(parentEvents, HISTORY_EVENT_LIMIT),
    maxItems(worstParentEvents, HISTORY_EVENT_LIMIT),
  );
  const childrenFit = childBound <= HISTORY_EVENT_LIMIT;
  const largestN = childrenFit ? Math.min(parentMax, payloadMax) : 0;
  const worstPerItemUsd = worst.length >= 2 ? lineThrough(worst, (cost) => cost.usd.total).slope : Number.NaN;
  const formatN = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US') : 'unbounded (flat)');
  const line = (fit: { intercept: number; slope: number }, digits: number) =>
    `${fixed(fit.intercept, 0)} + ${fixed(fit.slope, digits)} N`;

  const limitsTable: ReportTable = {
    title:
      'Limits: history events (25,000 per execution: the parent and each child have their own) and payload ' +
      '(256 KiB) as a function of N',
    headers: [
      'scenario',
      'parent events',
      'largest child events',
      'transitions',
      'largest N within the limits',
      'cost per item',
    ],
    rows: [
      [
        `every item moves at once, N = ${happy.map((cost) => cost.lineItems).join(', ')}`,
        line(parentEvents, 2),
        happyChildEvents,
        line(transitions, 2),
        formatN(Math.min(maxItems(parentEvents, HISTORY_EVENT_LIMIT), payloadMax)),
        formatUsd(
          happy.at(-1) ? (happy.at(-1)?.usd.total ?? 0) / (happy.at(-1)?.lineItems ?? 1) : Number.NaN,
        ),
      ],
      [
        `worst, measured: every move attempt fails transiently (${moveAttempts} attempts per item, from retriesWithinWindow), N = ${worst.map((cost) => cost.lineItems).join(', ')}`,
        line(worstParentEvents, 2),
        `${worstChildEvents} (= 3 x ${moveAttempts} attempts + ${childFixedEvents})`,
        line(worstTransitions, 1),
        formatN(largestN),
        formatUsd(worstPerItemUsd),
      ],
      [
        `worst, bound: also every other retrier of the item exhausted (+${otherRetries} retries)`,
        line(worstParentEvents, 2),
        `${childBound} (+ 3 x ${otherRetries})`,
        line({ intercept: worstTransitions.intercept, slope: worstTransitions.slope + otherRetries }, 1),
        formatN(largestN),
        '',
      ],
    ],
    notes: [
      `Largest state payload of the parent: ${fixed(payload.intercept, 0)} + ${fixed(payload.slope, 1)} bytes x N ` +
        `(${happy.at(-1)?.histories.parent.maxPayloadEvent ?? '?'} at N = ${happy.at(-1)?.lineItems}): the line ` +
        `item ids travel in the state input, so the 256 KiB limit allows N <= ${formatN(payloadMax)}. That, not ` +
        'the history, is the ceiling now; above it the Map would read the ids with an ItemReader from S3 ' +
        '(StartMoving writing them there), which this stack does not build.',
      `Each child execution moves one item with its own 25,000 events: at most ${childBound} of them, whatever N. ` +
        'A Distributed Map runs up to 10,000 children at once (here MaxConcurrency ' +
        `${DEFAULT_WORKFLOW_SETTINGS.moveConcurrency}, settable through the ASL loader).`,
      `Move retry policy: ${JSON.stringify(DEFAULT_WORKFLOW_SETTINGS.moveRetry)} -> MaxAttempts ` +
        `${retriesWithinWindow(DEFAULT_WORKFLOW_SETTINGS.moveRetry)} (statemachines/transfer-definition.ts).`,
    ],
  };

  const targets: TargetVerdict[] = [];
  const overTarget = happy.filter(
    (cost) => cost.histories.billedTransitions > TRANSITIONS_TARGET(cost.lineItems),
  );
  targets.push({
    target: 'Transitions per transfer <= 10 + 3 x N',
    measured: happy
      .map(
        (cost) =>
          `N=${cost.lineItems}: ${cost.histories.billedTransitions} (limit ${TRANSITIONS_TARGET(cost.lineItems)})`,
      )
      .join(', '),
    met: overTarget.length === 0,
    ...(overTarget.length === 0
      ? {}
      : {
          explanation:
            `the fixed part is ${fixed(transitions.intercept, 0)} transitions, per item ` +
            `${fixed(transitions.slope, 2)} (a DISTRIBUTED Map bills one per child started)`,
        }),
  });
  const largest = happy.find((cost) => cost.lineItems >= TARGET_LINE_ITEMS);
  const supports = largest?.finalStatus === 'Complete' && largestN >= TARGET_LINE_ITEMS;
  targets.push({
    target: `Supports at least ${TARGET_LINE_ITEMS} line items per transfer within AWS limits, also when every item fails transiently for the whole 72 h window`,
    measured:
      `${largest ? `N=${largest.lineItems} ran ${largest.finalStatus} (parent ${largest.histories.parent.events} events, ${largest.histories.children.count} children); ` : 'N=1000 not run (quick); '}` +
      `worst case: parent ${line(worstParentEvents, 2)} events, largest child ${worstChildEvents} ` +
      `(bound ${childBound}); largest N within AWS limits ${formatN(largestN)} (the 256 KiB state input)`,
    met: largest === undefined ? null : supports,
    ...(supports || largest === undefined
      ? {}
      : {
          explanation: childrenFit
            ? `the parent's state input (line item ids) allows only ${formatN(payloadMax)} items`
            : `one child's history can exceed 25,000 events (${childBound})`,
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
      fits: { parentEvents, transitions, payload, worstParentEvents, worstTransitions },
      limits: { worstChildEvents, childBound, parentMax, payloadMax, largestN },
      itemRetriers: retriers,
    },
  };
}
