// Webhook delivery in the local cloud: the EventBridge/SQS stand-in, the bus rule, the queue (on disk with a data
// folder) and its consumer running the real deliverer handler, like the CDK stack's bus -> rule -> queue -> Lambda.
import { resolve } from 'node:path';
import { EVENT_SOURCE } from '#adapters/eventbridge-event-publisher.ts';
import { DELIVERER_ENTRY } from '#webhooks/entries.ts';
import { WEBHOOK_QUEUE_SETTINGS } from '#webhooks/queue-settings.ts';
import { importHandler } from '../handler-modules.ts';
import { type QueueHandler, startQueueConsumer } from './consumer.ts';
import { LocalQueue } from './queue.ts';
import { startEventsServer } from './server.ts';

/** The webhook queue's name; its ARN and URL are built from it. */
export const LOCAL_WEBHOOK_QUEUE_NAME = 'partner-transfers-webhooks';

export interface LocalEventsOptions {
  host: string;
  port: number;
  region: string;
  accountId: string;
  busName: string;
  data?: string | undefined;
  log(line: string): void;
}

export async function startLocalEvents(options: LocalEventsOptions) {
  const queue = new LocalQueue({
    visibilityTimeoutSeconds: WEBHOOK_QUEUE_SETTINGS.visibilityTimeoutSeconds,
    maxReceiveCount: WEBHOOK_QUEUE_SETTINGS.maxReceiveCount,
    ...(options.data ? { file: resolve(options.data, 'webhook-queue.json') } : {}),
    onDeadLetter: (message) =>
      options.log(`[webhooks] message ${message.messageId} went to the dead-letter queue`),
  });
  const server = await startEventsServer({
    host: options.host,
    port: options.port,
    region: options.region,
    accountId: options.accountId,
    busName: options.busName,
    ruleSource: EVENT_SOURCE,
    queueName: LOCAL_WEBHOOK_QUEUE_NAME,
    queue,
  });
  let handler: Promise<QueueHandler> | undefined;
  const consumer = startQueueConsumer({
    queue,
    queueArn: `arn:aws:sqs:${options.region}:${options.accountId}:${LOCAL_WEBHOOK_QUEUE_NAME}`,
    region: options.region,
    loadHandler: () => (handler ??= importHandler<QueueHandler>(DELIVERER_ENTRY)),
    log: options.log,
  });
  return {
    url: server.url,
    queueUrl: server.queueUrl,
    queue,
    async close() {
      await consumer.stop();
      await server.close();
    },
  };
}
