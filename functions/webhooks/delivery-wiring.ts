// Delivering wired from the environment: the queue (redelivery, fan-out), the HTTP sender, and SES for telling a
// partner's admins that an endpoint was disabled. Only the deliverer and the routes that send or queue import it.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { createSesEmailSender } from '#adapters/ses-email-sender.ts';
import { createSqsDeliveryQueue } from '#adapters/sqs-delivery-queue.ts';
import { createWebhookHttpSender } from '#adapters/webhook-http-sender.ts';
import { DEFAULT_RETRY_DELAYS_SECONDS } from '#domain/webhooks/retry-schedule.ts';
import { loadConfig } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';
import { createDeliveryService } from './delivery-service.ts';
import { endpointDisabledEmail } from './endpoint-disabled-email.ts';
import { AWS_VARIABLES, STORAGE_VARIABLES, webhookStorage } from './storage-wiring.ts';

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
    const { documentClient, tableName, webhooks, urlPolicy } = webhookStorage();
    const all = createDynamoDbStorage({ documentClient, tableName });
    return createDeliveryService({
      endpoints: webhooks,
      deliveries: webhooks,
      transfers: all.transfers,
      sender: createWebhookHttpSender(urlPolicy),
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
