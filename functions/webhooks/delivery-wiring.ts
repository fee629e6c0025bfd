// Delivering wired from the environment: the HTTP sender, and SES for telling a partner's admins that an endpoint was
// disabled. The queue comes from the caller: the deliverer passes SQS (delivery-queue-wiring.ts), the test route,
// which sends one attempt now and never queues, passes none, so it bundles no SQS client. Of storage it wires only
// what delivering reads: the transfer (its queries, not the whole repository) and the partner's admins.
import { readPartner } from '#adapters/directory-reads.ts';
import { createSesEmailSender } from '#adapters/ses-email-sender.ts';
import { TransferQueries } from '#adapters/transfer-queries.ts';
import { createWebhookHttpSender } from '#adapters/webhook-http-sender.ts';
import type { DeliveryQueue } from '#application/webhook-ports.ts';
import { DEFAULT_RETRY_DELAYS_SECONDS } from '#domain/webhooks/retry-schedule.ts';
import { loadConfig, SES_SENDER_ADDRESS, WEBHOOK_RETRY_DELAYS_SECONDS } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';
import { createDeliveryService, type DeliveryService } from './delivery-service.ts';
import { endpointDisabledEmail } from './endpoint-disabled-email.ts';
import { STORAGE_VARIABLES, webhookStorage } from './storage-wiring.ts';

export const DELIVERY_VARIABLES = [
  ...STORAGE_VARIABLES,
  'SES_SENDER_ADDRESS',
  'WEBHOOK_RETRY_DELAYS_SECONDS',
];

export function deliveryServiceFromEnvironmentWith(queue: DeliveryQueue): DeliveryService {
  const config = loadConfig([WEBHOOK_RETRY_DELAYS_SECONDS]);
  const { documentClient, tableName, webhooks, urlPolicy } = webhookStorage();
  return createDeliveryService({
    endpoints: webhooks,
    deliveries: webhooks,
    transfers: new TransferQueries(documentClient, tableName),
    sender: createWebhookHttpSender(urlPolicy),
    queue,
    async notifyEndpointDisabled(endpoint) {
      const sender = createSesEmailSender({
        sender: loadConfig([SES_SENDER_ADDRESS]).SES_SENDER_ADDRESS,
      });
      const partner = await readPartner(documentClient, tableName, endpoint.partnerTenantId);
      for (const to of partner?.adminEmails ?? []) await sender.send(endpointDisabledEmail(endpoint, to));
    },
    retryDelaysSeconds: config.WEBHOOK_RETRY_DELAYS_SECONDS ?? DEFAULT_RETRY_DELAYS_SECONDS,
    now: () => new Date(),
  });
}

/** A webhook test is one attempt, never retried, so never queued: a queue that says so if that ever changes. */
const TEST_ROUTE_QUEUE: DeliveryQueue = {
  enqueue: () => Promise.reject(new Error('The webhook test route sends one attempt and never queues')),
};

export const testDeliveryServiceFromEnvironment = onceFor(DELIVERY_VARIABLES, () =>
  deliveryServiceFromEnvironmentWith(TEST_ROUTE_QUEUE),
);
