// Webhook delivery on AWS: a custom EventBridge bus (AWS-native consumers may subscribe too), a rule that feeds the
// transfer events to an SQS queue, and the deliverer Lambda consuming it with partial batch failures. Retries are
// the queue's visibility timeout (set per message by the deliverer); a message received too often lands in the
// dead-letter queue, which has an alarm. Queues are SQS-encrypted and refuse plain-HTTP access.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '#adapters/eventbridge-event-publisher.ts';
import type { QueueAction } from '#shared/function-access.ts';
import { WEBHOOK_QUEUE_SETTINGS } from '#webhooks/queue-settings.ts';
import type { TransferFunction } from './transfer-function.ts';

/** What Lambda's event source mapping calls with the deliverer's role to poll the queue (never our code). */
export const QUEUE_EVENT_SOURCE_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
] as const;

export interface WebhookDeliveryProps {
  deliverer: TransferFunction;
  /** The SQS actions the deliverer's code calls (functions/webhooks/entries.ts). */
  delivererQueueActions: readonly QueueAction[];
  removalPolicy: RemovalPolicy;
}

export class WebhookDelivery extends Construct {
  readonly bus: events.EventBus;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { description: 'Transfer events of partner-transfers' });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Deliveries', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(WEBHOOK_QUEUE_SETTINGS.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(WEBHOOK_QUEUE_SETTINGS.retentionDays),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: WEBHOOK_QUEUE_SETTINGS.maxReceiveCount,
      },
      removalPolicy: props.removalPolicy,
    });
    new events.Rule(this, 'ToDeliveries', {
      eventBus: this.bus,
      description: 'Every transfer event to the webhook deliverer',
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });

    // The mapping and its grant by hand: CDK's SqsEventSource grants GetQueueUrl too, which nothing calls.
    const deliverer = props.deliverer;
    deliverer.function.addEventSourceMapping('Deliveries', {
      eventSourceArn: this.queue.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    deliverer.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PollWebhookDeliveries',
        actions: [...QUEUE_EVENT_SOURCE_ACTIONS],
        resources: [this.queue.queueArn],
      }),
    );
    this.bindQueue(deliverer, props.delivererQueueActions);
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'WebhookDeadLetterAlarm', {
      alarmDescription: 'A webhook queue message could not be processed and went to the dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** Exactly the given actions on the delivery queue, plus WEBHOOK_QUEUE_URL, in one call. */
  bindQueue(fn: TransferFunction, actions: readonly QueueAction[]): void {
    if (actions.length === 0) return;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'QueueWebhookDeliveries',
        actions: actions.map((action) => `sqs:${action}`),
        resources: [this.queue.queueArn],
      }),
    );
    fn.setVariable('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
  }

  /** events:PutEvents on this bus only, and EVENT_BUS_NAME, in one call. */
  bindPublisher(fn: TransferFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishTransferEvents',
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
      }),
    );
    fn.setVariable('EVENT_BUS_NAME', this.bus.eventBusName);
  }
}
