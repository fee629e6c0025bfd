// The reconciler as a scheduled Lambda function (EventBridge on AWS, a timer in the local cloud): one run per
// invocation, its report in the log, its counts as metrics (the stack alarms on repairs and on unrepairable
// transfers). It fails only when it cannot look at all (storage or Step Functions unreachable).
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '#shared/logger.ts';
import { metrics } from '#shared/observability/metrics.ts';
import { type ReconcileReport, reconcile } from './reconcile.ts';
import { RECONCILER_METRICS } from './reconciler-metrics.ts';
import { reconcilerDependenciesFromEnvironment } from './reconciler-wiring.ts';

export function publishReconcileMetrics(report: ReconcileReport, target: Metrics = metrics): void {
  target.addMetric(RECONCILER_METRICS.transfersChecked, MetricUnit.Count, report.checked);
  target.addMetric(RECONCILER_METRICS.transfersRepaired, MetricUnit.Count, report.repaired.length);
  target.addMetric(RECONCILER_METRICS.transfersUnrepairable, MetricUnit.Count, report.unrepairable.length);
  target.publishStoredMetrics();
}

export async function handler(): Promise<ReconcileReport> {
  const report = await reconcile(reconcilerDependenciesFromEnvironment());
  for (const repaired of report.repaired)
    logger.warn('Reconciler repaired a stuck transfer', { ...repaired });
  for (const failed of report.unrepairable)
    logger.error('Reconciler could not repair a transfer', { ...failed });
  logger.info('Reconciler run finished', {
    checked: report.checked,
    repaired: report.repaired.length,
    alreadyRepaired: report.alreadyRepaired.length,
    unrepairable: report.unrepairable.length,
  });
  publishReconcileMetrics(report);
  return report;
}
