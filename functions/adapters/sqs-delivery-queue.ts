// The webhook delivery queue (SQS): delivery messages in, and the visibility-timeout pause that makes a failed
// attempt reappear when its retry is due. The endpoint comes from AWS_ENDPOINT_URL_SQS in the local cloud.
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryMessage, DeliveryQueue } from '#application/webhook-ports.ts';

/** SQS caps a visibility timeout at 12 hours; the longest scheduled pause is 10 hours plus jitter. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;

export function createSqsClient(): SQSClient {
  return new SQSClient({
    maxAttempts: 3,
    requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
  });
}

export function createSqsDeliveryQueue(
  queueUrl: string,
  client: SQSClient = createSqsClient(),
): DeliveryQueue & {
  showAgainAfter(receiptHandle: string, seconds: number): Promise<void>;
} {
  return {
    async enqueue(message: DeliveryMessage) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
    },
    async showAgainAfter(receiptHandle: string, seconds: number) {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(0, Math.round(seconds))),
        }),
      );
    },
  };
}
