// The outbox relay on AWS (functions/webhooks/relay-events.ts): the table's stream calls it for items that just got
// unpublished events (the fast path, filtered to items with outbox keys), and a one-minute EventBridge rule calls it
// to sweep whatever is still pending (a stream batch that failed past its retries, a relay that crashed). Either path
// is enough on its own; together they make an event wait seconds, never get lost.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { outboxKeys } from '#adapters/table-keys.ts';
import { RELAY_ACCESS, RELAY_ENTRY } from '#webhooks/entries.ts';
import type { TransferFunction } from './transfer-function.ts';
import type { TransferTable } from './transfer-table.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

export const RELAY_SWEEP_MINUTES = 1;

export interface TransferEventRelayProps {
  newFunction: (scopeId: string, entry: string, description: string, timeout?: Duration) => TransferFunction;
  table: TransferTable;
  webhooks: WebhookDelivery;
}

export class TransferEventRelay extends Construct {
  readonly function: TransferFunction;
  readonly sweep: events.Rule;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TransferEventRelayProps) {
    super(scope, id);
    this.function = props.newFunction(
      'RelayFunction',
      RELAY_ENTRY,
      'Publishes the transfer events recorded in the table (outbox) to the event bus',
      Duration.minutes(1),
    );
    this.function.bindTable(props.table, RELAY_ACCESS.table);
    props.webhooks.bindPublisher(this.function);
    this.function.function.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 3,
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: { NewImage: { GSI5PK: { S: lambda.FilterRule.isEqual(outboxKeys.pendingPartition) } } },
          }),
        ],
      }),
    );
    this.sweep = new events.Rule(this, 'Sweep', {
      description: 'Publishes transfer events the stream path left pending',
      schedule: events.Schedule.rate(Duration.minutes(RELAY_SWEEP_MINUTES)),
      targets: [
        new targets.LambdaFunction(this.function.function, {
          retryAttempts: 0,
          maxEventAge: Duration.minutes(RELAY_SWEEP_MINUTES),
        }),
      ],
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, 'EventRelayErrorsAlarm', {
      alarmDescription: 'The transfer event relay failed; events wait in the outbox (see docs/runbook.md).',
      metric: this.function.function.metricErrors({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
