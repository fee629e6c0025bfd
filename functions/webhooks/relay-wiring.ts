// The outbox relay wired from the environment: the table's outbox and the event bus.
import { createEventBridgePublisher } from '#adapters/eventbridge-event-publisher.ts';
import { DynamoDbTransferOutbox } from '#adapters/transfer-outbox.ts';
import { EVENT_BUS_NAME, loadConfig } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';
import type { RelayDependencies } from './relay-transfer-events.ts';
import { STORAGE_VARIABLES, webhookStorage } from './storage-wiring.ts';

export const relayFromEnvironment = onceFor(
  [...STORAGE_VARIABLES, 'AWS_ENDPOINT_URL_EVENTBRIDGE', 'EVENT_BUS_NAME'],
  (): RelayDependencies => {
    const { documentClient, tableName } = webhookStorage();
    return {
      outbox: new DynamoDbTransferOutbox(documentClient, tableName),
      publisher: createEventBridgePublisher(loadConfig([EVENT_BUS_NAME]).EVENT_BUS_NAME),
    };
  },
);
