// Transfer events onto the custom EventBridge bus (a rule there feeds the webhook queue; other AWS consumers may
// subscribe too). The endpoint comes from AWS_ENDPOINT_URL_EVENTBRIDGE in the local cloud.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { WebhookEventPublisher } from '#application/webhook-ports.ts';

/** The `source` of every event this service publishes; the bus rule matches on it. */
export const EVENT_SOURCE = 'partner-transfers';
const MAX_ENTRIES_PER_CALL = 10;

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
}

export function createEventBridgePublisher(
  busName: string,
  client: EventBridgeClient = new EventBridgeClient({
    maxAttempts: 3,
    requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
  }),
): WebhookEventPublisher {
  return {
    async publish(events) {
      for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL) {
        const batch = events.slice(start, start + MAX_ENTRIES_PER_CALL);
        const output = await client.send(
          new PutEventsCommand({
            Entries: batch.map((event) => ({
              EventBusName: busName,
              Source: EVENT_SOURCE,
              DetailType: event.type,
              Time: new Date(event.occurredTime),
              Detail: JSON.stringify(event),
            })),
          }),
        );
        if ((output.FailedEntryCount ?? 0) > 0) {
          throw new EventPublishError(
            `${output.FailedEntryCount} of ${batch.length} events were not accepted`,
          );
        }
      }
    },
  };
}
