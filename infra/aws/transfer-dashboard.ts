// One CloudWatch dashboard for the service: the business metrics the functions emit as EMF (names shared with the
// code through functions/shared/observability/metric-names.ts), next to the workflow's and the API's own metrics,
// so a transfer that stalls shows up beside the executions and requests that carry it.
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  METRICS_NAMESPACE,
  SERVICE_NAME,
  TRANSFER_METRICS,
  type TransferMetricName,
} from '#shared/observability/metric-names.ts';

export interface TransferDashboardProps {
  stateMachine: sfn.IStateMachine;
  apiStage: apigateway.Stage;
}

const PERIOD = Duration.minutes(5);

/** A business metric as the functions publish it: the service namespace, the `service` dimension. */
export function businessMetric(
  metricName: TransferMetricName,
  statistic: string = cloudwatch.Stats.SUM,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period: PERIOD,
    ...(label === undefined ? {} : { label }),
  });
}

export class TransferDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: TransferDashboardProps) {
    super(scope, id);
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const m = TRANSFER_METRICS;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          graph('Transfers', [
            businessMetric(m.transfersCreated),
            businessMetric(m.transfersAccepted),
            businessMetric(m.transfersCompleted),
            businessMetric(m.transfersCanceled),
            businessMetric(m.transfersExpired),
          ]),
          graph('Line items', [
            businessMetric(m.lineItemsMoved),
            businessMetric(m.lineItemMovesRetried),
            businessMetric(m.lineItemsFailed),
          ]),
          graph('Emails that could not be sent', [businessMetric(m.emailsFailed)]),
        ],
        [
          graph('Time from acceptance to completion (seconds)', [
            businessMetric(m.acceptToCompleteSeconds, cloudwatch.Stats.p(50), 'p50'),
            businessMetric(m.acceptToCompleteSeconds, cloudwatch.Stats.p(90), 'p90'),
            businessMetric(m.acceptToCompleteSeconds, cloudwatch.Stats.MAXIMUM, 'max'),
          ]),
          graph('Workflow executions', [
            props.stateMachine.metricStarted(sum),
            props.stateMachine.metricSucceeded(sum),
            props.stateMachine.metricFailed(sum),
            props.stateMachine.metricTimedOut(sum),
          ]),
          graph('API requests and errors', [
            props.apiStage.metricCount(sum),
            props.apiStage.metricClientError(sum),
            props.apiStage.metricServerError(sum),
          ]),
        ],
      ],
    });
  }
}
