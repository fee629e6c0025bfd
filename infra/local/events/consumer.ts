// The Lambda event source mapping of the local cloud: takes visible messages off the queue, calls the deliverer with
// an SQS event, deletes what it finished and leaves the rest (hidden until their retry is due, as the deliverer set).
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DELIVERER_FUNCTION, runAsFunction } from '../running-function.ts';
import type { LocalQueue, QueuedMessage } from './queue.ts';

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface QueueConsumerOptions {
  queue: LocalQueue;
  queueArn: string;
  region: string;
  loadHandler(): Promise<QueueHandler>;
  batchSize?: number;
  log?(line: string): void;
}

function sqsEvent(messages: QueuedMessage[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAtMs),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

/** Polls while there is work, sleeps until the next message is due otherwise; stop() waits for the running batch. */
export function startQueueConsumer(options: QueueConsumerOptions) {
  const { queue } = options;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (delayMs: number | undefined) => {
    if (stopped || delayMs === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(poll);
    }, delayMs);
  };

  async function poll() {
    if (stopped) return;
    const messages = queue.receive(options.batchSize ?? 10);
    if (messages.length > 0) {
      try {
        const handler = await options.loadHandler();
        const event = sqsEvent(messages, options.queueArn, options.region);
        const result = await runAsFunction(DELIVERER_FUNCTION, () => handler(event));
        const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
        for (const message of messages) {
          if (!failed.has(message.messageId) && message.receiptHandle) queue.delete(message.receiptHandle);
        }
      } catch (error) {
        options.log?.(
          `[webhooks] deliverer failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    schedule(queue.nextVisibleInMs());
  }

  const unsubscribe = queue.onChange(() => schedule(0));
  schedule(0);
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await running;
    },
  };
}
