// The deliverer: the SQS consumer behind the webhook queue. A message is either a transfer event from the bus (fan
// out: one delivery message per subscribed endpoint) or one delivery to attempt. A failed attempt stays on the queue,
// hidden until its retry is due (the visibility timeout is the backoff); a crash leaves the message to SQS's own
// retry and, after too many receives, the dead-letter queue (which has an alarm).
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { onceFor } from '#workflow/task-handler.ts';
import { deliveryQueueFromEnvironment, QUEUE_VARIABLES } from './delivery-queue-wiring.ts';
import type { DeliveryService } from './delivery-service.ts';
import { DELIVERY_VARIABLES, deliveryServiceFromEnvironmentWith } from './delivery-wiring.ts';
import { parseQueueMessage } from './queue-message.ts';

export interface DelivererDependencies {
  service: DeliveryService;
  showAgainAfter(receiptHandle: string, seconds: number): Promise<void>;
}

/** true: the message is done (delete it); false: leave it on the queue. */
async function handleRecord(record: SQSRecord, deps: DelivererDependencies): Promise<boolean> {
  const message = parseQueueMessage(JSON.parse(record.body));
  if (!message) {
    logger.error('Dropped an unreadable webhook queue message', { messageId: record.messageId });
    return true;
  }
  if ('detail' in message) {
    await deps.service.fanOut(message.detail);
    return true;
  }
  const outcome = await deps.service.attempt(message);
  if ('done' in outcome) return true;
  await deps.showAgainAfter(record.receiptHandle, outcome.retryAfterSeconds);
  return false;
}

export async function deliverBatch(event: SQSEvent, deps: DelivererDependencies): Promise<SQSBatchResponse> {
  const outcomes = await Promise.all(
    event.Records.map(async (record) => {
      try {
        return (await handleRecord(record, deps)) ? undefined : record.messageId;
      } catch (error) {
        logger.error('Webhook queue message failed; SQS will retry it', {
          messageId: record.messageId,
          error: error instanceof Error ? error.message : String(error),
        });
        return record.messageId;
      }
    }),
  );
  return {
    batchItemFailures: outcomes
      .filter((id): id is string => id !== undefined)
      .map((itemIdentifier) => ({ itemIdentifier })),
  };
}

// Redelivery and fan-out queue on the same SQS queue the deliverer consumes.
const deliveryServiceFromEnvironment = onceFor([...DELIVERY_VARIABLES, ...QUEUE_VARIABLES], () =>
  deliveryServiceFromEnvironmentWith({
    enqueue: (message) => deliveryQueueFromEnvironment().enqueue(message),
  }),
);

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
  deliverBatch(event, {
    service: deliveryServiceFromEnvironment(),
    showAgainAfter: (receiptHandle, seconds) =>
      deliveryQueueFromEnvironment().showAgainAfter(receiptHandle, seconds),
  });
