// What the service measures, named once: the functions emit these (transfer-metrics.ts) and the CDK stack's
// dashboard graphs them. Plain constants, so the CDK app can import them without Powertools.

export const SERVICE_NAME = 'partner-transfers';
/** CloudWatch namespace of the business metrics; every metric also has the dimension service=SERVICE_NAME. */
export const METRICS_NAMESPACE = 'PartnerTransfers';

export const TRANSFER_METRICS = {
  transfersCreated: 'TransfersCreated',
  transfersAccepted: 'TransfersAccepted',
  transfersCompleted: 'TransfersCompleted',
  transfersCanceled: 'TransfersCanceled',
  transfersExpired: 'TransfersExpired',
  lineItemsMoved: 'LineItemsMoved',
  /** A move attempt that failed transiently: the ASL retries the item. */
  lineItemMovesRetried: 'LineItemMovesRetried',
  lineItemsFailed: 'LineItemsFailed',
  emailsFailed: 'EmailsFailed',
  /** From the source's acceptance to the transfer's completion, in seconds. */
  acceptToCompleteSeconds: 'AcceptToCompleteSeconds',
} as const;

export type TransferMetricName = (typeof TRANSFER_METRICS)[keyof typeof TRANSFER_METRICS];
