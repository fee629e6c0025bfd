// The webhook use cases wired from the environment, each created on first use (a function that only lists endpoints
// never needs the queue's variables) and kept like a warm container's module scope.

import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { DynamoDbWebhookRepository } from '#adapters/dynamodb-webhook-repository.ts';
import { createEventBridgePublisher } from '#adapters/eventbridge-event-publisher.ts';
import { createSesEmailSender } from '#adapters/ses-email-sender.ts';
import { createSqsDeliveryQueue } from '#adapters/sqs-delivery-queue.ts';
import { DynamoDbTransferOutbox } from '#adapters/transfer-outbox.ts';
import { createWebhookHttpSender } from '#adapters/webhook-http-sender.ts';
import type { UrlPolicy } from '#domain/webhooks/endpoint-url.ts';
import { DEFAULT_RETRY_DELAYS_SECONDS } from '#domain/webhooks/retry-schedule.ts';
import { loadConfig } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';
import { createDeliveryService } from './delivery-service.ts';
import { endpointDisabledEmail } from './endpoint-disabled-email.ts';
import { createEndpointService } from './endpoint-service.ts';
import type { RelayDependencies } from './relay-transfer-events.ts';
import { generateWebhookSecret } from './signing.ts';

const AWS_VARIABLES = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID'];
const STORAGE_VARIABLES = [...AWS_VARIABLES, 'AWS_ENDPOINT_URL_DYNAMODB', 'TABLE_NAME', 'DEPLOYMENT_STAGE'];

export const urlPolicyFor = (stage: 'local' | 'localstack' | 'aws'): UrlPolicy =>
  stage === 'local' ? 'local-cloud' : 'public-https';

const storage = onceFor(STORAGE_VARIABLES, () => {
  const documentClient = createDynamoDbDocumentClient();
  const tableName = loadConfig(['TABLE_NAME']).TABLE_NAME;
  return {
    all: createDynamoDbStorage({ documentClient, tableName }),
    webhooks: new DynamoDbWebhookRepository(documentClient, tableName),
    stage: loadConfig(['DEPLOYMENT_STAGE']).DEPLOYMENT_STAGE,
  };
});

export const endpointServiceFromEnvironment = onceFor(STORAGE_VARIABLES, () =>
  createEndpointService({
    store: storage().webhooks,
    urlPolicy: urlPolicyFor(storage().stage),
    resolveHost: async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address),
    newEndpointId: randomUUID,
    newSecret: generateWebhookSecret,
    now: () => new Date(),
  }),
);

export const deliveryQueueFromEnvironment = onceFor(
  [...AWS_VARIABLES, 'AWS_ENDPOINT_URL_SQS', 'WEBHOOK_QUEUE_URL'],
  () => createSqsDeliveryQueue(loadConfig(['WEBHOOK_QUEUE_URL']).WEBHOOK_QUEUE_URL),
);

export const deliveryServiceFromEnvironment = onceFor(
  [
    ...STORAGE_VARIABLES,
    'AWS_ENDPOINT_URL_SQS',
    'WEBHOOK_QUEUE_URL',
    'SES_SENDER_ADDRESS',
    'WEBHOOK_RETRY_DELAYS_SECONDS',
  ],
  () => {
    const config = loadConfig(['WEBHOOK_RETRY_DELAYS_SECONDS']);
    const { all, webhooks, stage } = storage();
    return createDeliveryService({
      endpoints: webhooks,
      deliveries: webhooks,
      transfers: all.transfers,
      sender: createWebhookHttpSender(urlPolicyFor(stage)),
      // Only redelivery and fan-out queue; the test route never needs the queue's variable.
      queue: { enqueue: (message) => deliveryQueueFromEnvironment().enqueue(message) },
      async notifyEndpointDisabled(endpoint) {
        const sender = createSesEmailSender({
          sender: loadConfig(['SES_SENDER_ADDRESS']).SES_SENDER_ADDRESS,
        });
        const partner = await all.directory.getPartner(endpoint.partnerTenantId);
        for (const to of partner?.adminEmails ?? []) await sender.send(endpointDisabledEmail(endpoint, to));
      },
      retryDelaysSeconds: config.WEBHOOK_RETRY_DELAYS_SECONDS ?? DEFAULT_RETRY_DELAYS_SECONDS,
      now: () => new Date(),
    });
  },
);

export const deliveryStoreFromEnvironment = onceFor(STORAGE_VARIABLES, () => storage().webhooks);

export const relayFromEnvironment = onceFor(
  [...STORAGE_VARIABLES, 'AWS_ENDPOINT_URL_EVENTBRIDGE', 'EVENT_BUS_NAME'],
  (): RelayDependencies => {
    const documentClient = createDynamoDbDocumentClient();
    return {
      outbox: new DynamoDbTransferOutbox(documentClient, loadConfig(['TABLE_NAME']).TABLE_NAME),
      publisher: createEventBridgePublisher(loadConfig(['EVENT_BUS_NAME']).EVENT_BUS_NAME),
    };
  },
);

/** The webhook side of `ops inspect`: outbox and deliveries of one transfer (needs only the table). */
export const transferWebhookActivityFromEnvironment = onceFor(STORAGE_VARIABLES, () => {
  const documentClient = createDynamoDbDocumentClient();
  const tableName = loadConfig(['TABLE_NAME']).TABLE_NAME;
  const webhooks = new DynamoDbWebhookRepository(documentClient, tableName);
  return {
    outbox: new DynamoDbTransferOutbox(documentClient, tableName),
    endpoints: webhooks,
    deliveries: webhooks,
  };
});
