// The alarms that tell the team running the service that a transfer may be stuck or the service is held back:
// reconciler repairs and transfers it could not repair, the reconciler itself failing, its dead-letter queue,
// and throttling of Lambda, DynamoDB and Step Functions. docs/runbook.md says for each what it means and which
// command fixes it (a test checks that every alarm of the stack is there).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RECONCILER_METRICS } from '#operations/reconciler-metrics.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '#shared/observability/metric-names.ts';
import type { TransferFunction } from './transfer-function.ts';
import type { TransferTable } from './transfer-table.ts';

export interface OperationsAlarmsProps {
  reconciler: TransferFunction;
  deadLetterQueue: sqs.IQueue;
  table: TransferTable;
  stateMachine: sfn.StateMachine;
}

const FIFTEEN_MINUTES = { period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM };

/** Alarms as soon as the metric's sum over the period reaches 1; no data means nothing happened. */
export function alarmOnFirst(
  scope: Construct,
  id: string,
  alarmDescription: string,
  metric: cloudwatch.IMetric,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const reconcilerMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        ...FIFTEEN_MINUTES,
      });
    const tableThrottles = new cloudwatch.MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.table.metric('ReadThrottleEvents', FIFTEEN_MINUTES),
        writes: props.table.table.metric('WriteThrottleEvents', FIFTEEN_MINUTES),
      },
      period: Duration.minutes(15),
    });
    this.alarms = [
      alarmOnFirst(
        this,
        'ReconcilerRepairedAlarm',
        'The reconciler repaired a transfer whose status and workflow disagreed (see docs/runbook.md).',
        reconcilerMetric(RECONCILER_METRICS.transfersRepaired),
      ),
      alarmOnFirst(
        this,
        'ReconcilerUnrepairableAlarm',
        'The reconciler found a stuck transfer it cannot repair: an operator must act (see docs/runbook.md).',
        reconcilerMetric(RECONCILER_METRICS.transfersUnrepairable),
      ),
      alarmOnFirst(
        this,
        'ReconcilerErrorsAlarm',
        'The reconciler function failed: stuck transfers are not being looked for (see docs/runbook.md).',
        props.reconciler.function.metricErrors(FIFTEEN_MINUTES),
      ),
      alarmOnFirst(
        this,
        'ReconcilerDeadLetterAlarm',
        'Scheduled reconciler runs could not be delivered and wait in its dead-letter queue (see docs/runbook.md).',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(15),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      ),
      alarmOnFirst(
        this,
        'LambdaThrottlesAlarm',
        'Lambda throttled invocations in this account and region (see docs/runbook.md).',
        new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', ...FIFTEEN_MINUTES }),
      ),
      alarmOnFirst(
        this,
        'TableThrottlesAlarm',
        'DynamoDB throttled reads or writes of the transfers table (see docs/runbook.md).',
        tableThrottles,
      ),
      alarmOnFirst(
        this,
        'WorkflowThrottledAlarm',
        'Step Functions throttled transfer workflow executions (see docs/runbook.md).',
        props.stateMachine.metric('ExecutionThrottled', FIFTEEN_MINUTES),
      ),
    ];
  }
}
