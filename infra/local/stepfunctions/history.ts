// An execution's event history in the wire shape of GetExecutionHistory: ids from 1, previousEventId, epoch-second
// timestamps, and the `...EventDetails` member named after the event type.
import type { HistoryEventType } from '@aws-sdk/client-sfn';

export interface WireHistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: HistoryEventType;
  [eventDetails: string]: unknown;
}

/** `TaskScheduled` -> `taskScheduledEventDetails`; every `<Type>StateEntered/Exited` shares one member name. */
function detailsMember(type: HistoryEventType): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** Drops undefined members so the JSON carries only what is set. */
function compact(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

export interface HistoryPage {
  events: WireHistoryEvent[];
  /** The id to continue from, when more events exist in the requested direction. */
  nextEventId: number | undefined;
}

export class ExecutionHistory {
  private readonly events: WireHistoryEvent[] = [];

  /**
   * previousEventId is the event recorded just before (0 for the first): the engine does not say which event
   * caused which, so concurrent branches are not told apart.
   */
  append(type: HistoryEventType, details?: Record<string, unknown>): void {
    const id = this.events.length + 1;
    const event: WireHistoryEvent = { id, previousEventId: id - 1, timestamp: Date.now() / 1000, type };
    if (details) event[detailsMember(type)] = compact(details);
    this.events.push(event);
  }

  get lastEventId(): number {
    return this.events.length;
  }

  /** Up to `maxResults` events starting at `fromEventId` (inclusive), oldest first or newest first. */
  page(options: { fromEventId: number | undefined; maxResults: number; reverseOrder: boolean }): HistoryPage {
    const { maxResults, reverseOrder } = options;
    if (reverseOrder) {
      const from = Math.min(options.fromEventId ?? this.events.length, this.events.length);
      const to = Math.max(from - maxResults, 0);
      const events = this.events.slice(to, from).reverse();
      return { events, nextEventId: to > 0 ? to : undefined };
    }
    const from = Math.max(options.fromEventId ?? 1, 1);
    const events = this.events.slice(from - 1, from - 1 + maxResults);
    const next = from + events.length;
    return { events, nextEventId: next <= this.events.length ? next : undefined };
  }
}

/** Removes the execution data (inputs, outputs, task parameters) for `includeExecutionData: false`. */
export function withoutExecutionData(event: WireHistoryEvent): WireHistoryEvent {
  const stripped: WireHistoryEvent = { ...event };
  for (const [member, details] of Object.entries(event)) {
    if (!member.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
    const {
      input: _input,
      output: _output,
      parameters: _parameters,
      ...rest
    } = details as Record<string, unknown>;
    stripped[member] = rest;
  }
  return stripped;
}
