// Business metrics as one call each, made by whoever wins the write that the metric counts (a retry or a losing
// racer records nothing), so each event is counted once. They are published when the invocation ends (the
// logMetrics middleware of instrument.ts).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { TRANSFER_METRICS, type TransferMetricName } from './metric-names.ts';
import { metrics } from './metrics.ts';

const count = (name: TransferMetricName, value = 1) => metrics.addMetric(name, MetricUnit.Count, value);

export const recordTransferCreated = () => count(TRANSFER_METRICS.transfersCreated);
export const recordTransferAccepted = () => count(TRANSFER_METRICS.transfersAccepted);
export const recordTransferCanceled = () => count(TRANSFER_METRICS.transfersCanceled);
export const recordTransferExpired = () => count(TRANSFER_METRICS.transfersExpired);
export const recordLineItemMoved = () => count(TRANSFER_METRICS.lineItemsMoved);
export const recordLineItemMoveRetried = () => count(TRANSFER_METRICS.lineItemMovesRetried);
export const recordLineItemFailed = () => count(TRANSFER_METRICS.lineItemsFailed);
export const recordEmailFailed = () => count(TRANSFER_METRICS.emailsFailed);

/** A transfer reached Complete or CompletedWithErrors; with both times known, how long it took since acceptance. */
export function recordTransferCompleted(times: { acceptedTime?: string; completedTime?: string }): void {
  count(TRANSFER_METRICS.transfersCompleted);
  if (times.acceptedTime === undefined || times.completedTime === undefined) return;
  const seconds = (Date.parse(times.completedTime) - Date.parse(times.acceptedTime)) / 1000;
  if (Number.isFinite(seconds) && seconds >= 0) {
    metrics.addMetric(TRANSFER_METRICS.acceptToCompleteSeconds, MetricUnit.Seconds, seconds);
  }
}
