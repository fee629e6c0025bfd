// The webhook delivery queue (SQS) wired from the environment, on its own so that only the functions that queue (the
// deliverer, the redeliver route) bundle the SQS client.
import { createSqsDeliveryQueue } from '#adapters/sqs-delivery-queue.ts';
import { loadConfig, WEBHOOK_QUEUE_URL } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';
import { AWS_VARIABLES } from './storage-wiring.ts';

export const QUEUE_VARIABLES = [...AWS_VARIABLES, 'AWS_ENDPOINT_URL_SQS', 'WEBHOOK_QUEUE_URL'];

export const deliveryQueueFromEnvironment = onceFor(QUEUE_VARIABLES, () =>
  createSqsDeliveryQueue(loadConfig([WEBHOOK_QUEUE_URL]).WEBHOOK_QUEUE_URL),
);
