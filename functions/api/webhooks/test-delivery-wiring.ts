// The test route's delivery service: one attempt now through the same delivery service the deliverer runs, over the
// webhook store, the transfer reads and the partner directory (for the email when an endpoint gets disabled), with
// the HTTP sender and SES; no queue. Built from those adapters only, not from the whole storage aggregate.
import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import { createSesEmailSender } from '#adapters/ses-email-sender.ts';
import { TransferQueries } from '#adapters/transfer-queries.ts';
import { createWebhookHttpSender } from '#adapters/webhook-http-sender.ts';
import type { DeliveryQueue } from '#application/webhook-ports.ts';
import { DEFAULT_RETRY_DELAYS_SECONDS } from '#domain/webhooks/retry-schedule.ts';
import { loadConfig, SES_SENDER_ADDRESS, WEBHOOK_RETRY_DELAYS_SECONDS } from '#shared/config.ts';
import { createDeliveryService } from '#webhooks/delivery-service.ts';
import { endpointDisabledEmail } from '#webhooks/endpoint-disabled-email.ts';
import { STORAGE_VARIABLES, webhookStorage } from '#webhooks/storage-wiring.ts';
import { onceFor } from '#workflow/task-handler.ts';

/** As DELIVERY_VARIABLES of delivery-wiring.ts, which this module does not import (it wires the whole storage). */
const TEST_DELIVERY_VARIABLES = [...STORAGE_VARIABLES, 'SES_SENDER_ADDRESS', 'WEBHOOK_RETRY_DELAYS_SECONDS'];

/** A webhook test is one attempt, never retried, so never queued: a queue that says so if that ever changes. */
const TEST_ROUTE_QUEUE: DeliveryQueue = {
  enqueue: () => Promise.reject(new Error('The webhook test route sends one attempt and never queues')),
};

export const testDeliveryServiceFromEnvironment = onceFor(TEST_DELIVERY_VARIABLES, () => {
  const config = loadConfig([WEBHOOK_RETRY_DELAYS_SECONDS]);
  const { documentClient, tableName, webhooks, urlPolicy } = webhookStorage();
  const directory = new DynamoDbDirectoryRepository(documentClient, tableName);
  return createDeliveryService({
    endpoints: webhooks,
    deliveries: webhooks,
    transfers: new TransferQueries(documentClient, tableName),
    sender: createWebhookHttpSender(urlPolicy),
    queue: TEST_ROUTE_QUEUE,
    async notifyEndpointDisabled(endpoint) {
      const sender = createSesEmailSender({
        sender: loadConfig([SES_SENDER_ADDRESS]).SES_SENDER_ADDRESS,
      });
      const partner = await directory.getPartner(endpoint.partnerTenantId);
      for (const to of partner?.adminEmails ?? []) await sender.send(endpointDisabledEmail(endpoint, to));
    },
    retryDelaysSeconds: config.WEBHOOK_RETRY_DELAYS_SECONDS ?? DEFAULT_RETRY_DELAYS_SECONDS,
    now: () => new Date(),
  });
});
