// What an execution's history says about cost and limits: events (the 25,000 limit), state transitions (what
// Standard workflows bill: every state entered, and every retry of a task), and the largest payload; for a
// transfer, its own history and those of the child executions its DISTRIBUTED Map started.
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListMapRunsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';

export async function fetchHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        includeExecutionData: true,
        nextToken,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export interface HistorySummary {
  events: number;
  statesEntered: number;
  /** Task attempts after the first of each task state entry. */
  retries: number;
  /** statesEntered + retries: what Step Functions Standard bills. */
  stateTransitions: number;
  mapIterations: number;
  /** States entered, by state name. */
  enteredByState: Record<string, number>;
  lambdaInvocations: number;
  /** Largest input, output or parameters of any event, in bytes. */
  maxPayloadBytes: number;
  maxPayloadEvent: string;
}

const PAYLOAD_FIELDS = ['input', 'output', 'parameters'] as const;

export function summariseHistory(events: readonly HistoryEvent[]): HistorySummary {
  let statesEntered = 0;
  let taskStatesEntered = 0;
  let taskAttempts = 0;
  let mapIterations = 0;
  let maxPayloadBytes = 0;
  let maxPayloadEvent = '';
  const enteredByState: Record<string, number> = {};
  for (const event of events) {
    const type = event.type ?? '';
    if (type.endsWith('StateEntered')) {
      statesEntered += 1;
      const name = event.stateEnteredEventDetails?.name ?? '?';
      enteredByState[name] = (enteredByState[name] ?? 0) + 1;
    }
    if (type === 'TaskStateEntered') taskStatesEntered += 1;
    if (type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') taskAttempts += 1;
    if (type === 'MapIterationStarted') mapIterations += 1;
    for (const [member, details] of Object.entries(event)) {
      if (!member.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
      for (const field of PAYLOAD_FIELDS) {
        const value = (details as Record<string, unknown>)[field];
        if (typeof value !== 'string') continue;
        const bytes = Buffer.byteLength(value);
        if (bytes > maxPayloadBytes) {
          maxPayloadBytes = bytes;
          maxPayloadEvent = `${type}.${field}`;
        }
      }
    }
  }
  const retries = taskAttempts - taskStatesEntered;
  return {
    events: events.length,
    statesEntered,
    retries,
    stateTransitions: statesEntered + retries,
    mapIterations,
    enteredByState,
    lambdaInvocations: taskAttempts,
    maxPayloadBytes,
    maxPayloadEvent,
  };
}

/** The execution's history and each of its Map Runs' child executions' histories. */
export async function fetchHistories(
  sfn: SFNClient,
  executionArn: string,
): Promise<{ parent: HistoryEvent[]; children: HistoryEvent[][] }> {
  const parent = await fetchHistory(sfn, executionArn);
  const children: HistoryEvent[][] = [];
  const { mapRuns = [] } = await sfn.send(new ListMapRunsCommand({ executionArn }));
  for (const { mapRunArn } of mapRuns) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }));
      for (const child of page.executions ?? [])
        children.push(await fetchHistory(sfn, child.executionArn ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return { parent, children };
}

export interface TransferHistories {
  parent: HistorySummary;
  children: {
    count: number;
    events: number;
    /** The largest child's events: each child has the 25,000-event limit of its own. */
    maxEvents: number;
    stateTransitions: number;
  };
  /**
   * What Step Functions bills: the parent's transitions, one per child execution a DISTRIBUTED Map starts, and
   * the children's own transitions (Standard children).
   */
  billedTransitions: number;
}

export function summariseHistories(histories: {
  parent: readonly HistoryEvent[];
  children: readonly (readonly HistoryEvent[])[];
}): TransferHistories {
  const children = histories.children.map(summariseHistory);
  const sum = (value: (summary: HistorySummary) => number) =>
    children.reduce((total, summary) => total + value(summary), 0);
  const parent = summariseHistory(histories.parent);
  return {
    parent,
    children: {
      count: children.length,
      events: sum((summary) => summary.events),
      maxEvents: Math.max(0, ...children.map((summary) => summary.events)),
      stateTransitions: sum((summary) => summary.stateTransitions),
    },
    billedTransitions: parent.stateTransitions + children.length + sum((summary) => summary.stateTransitions),
  };
}
