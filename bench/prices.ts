// AWS list prices (us-east-1, USD) that the cost benchmark multiplies its counts by: the one place to update them.
// These are the public on-demand list prices as the author knew them on PRICES_AS_OF, without free tiers, volume
// discounts or Savings Plans. Check the pricing pages before quoting a figure.

export const PRICES_AS_OF = '2025-06-01';
export const PRICES_REGION = 'us-east-1';

export const PRICES = {
  stepFunctions: {
    /** Standard workflows: per state transition ($0.025 per 1,000). */
    perStateTransition: 0.025 / 1000,
  },
  lambda: {
    /** Per request ($0.20 per million), x86 and arm64 alike. */
    perRequest: 0.2 / 1_000_000,
    /** arm64, first pricing tier (per GB-second). */
    perGbSecondArm64: 0.0000133334,
  },
  dynamoDb: {
    /** On-demand (after the November 2024 price reduction): $0.625 per million write request units. */
    perWriteRequestUnit: 0.625 / 1_000_000,
    /** On-demand: $0.125 per million read request units. */
    perReadRequestUnit: 0.125 / 1_000_000,
  },
  apiGateway: {
    /** REST APIs, first 333 million requests a month ($3.50 per million). */
    perRestRequest: 3.5 / 1_000_000,
  },
  ses: {
    /** Outbound email ($0.10 per 1,000). */
    perEmail: 0.1 / 1000,
  },
} as const;

/** The account's Lambda billing granularity: duration rounded up to the next millisecond. */
export const LAMBDA_BILLING_GRANULARITY_MS = 1;

/** Step Functions' hard limit on the events of one execution's history (Standard workflows). */
export const HISTORY_EVENT_LIMIT = 25_000;
/** Step Functions' limit on a state's input or output, in bytes (256 KiB). */
export const PAYLOAD_LIMIT_BYTES = 262_144;

export function describePrices(): string[] {
  const p = PRICES;
  return [
    `Prices: AWS list prices ${PRICES_REGION} as of ${PRICES_AS_OF} (bench/prices.ts), no free tier:`,
    `Step Functions Standard $${(p.stepFunctions.perStateTransition * 1000).toFixed(3)} per 1,000 state transitions; ` +
      `Lambda arm64 $${p.lambda.perGbSecondArm64} per GB-s + $${(p.lambda.perRequest * 1e6).toFixed(2)} per million requests; ` +
      `DynamoDB on-demand $${(p.dynamoDb.perWriteRequestUnit * 1e6).toFixed(3)} per million WRU, ` +
      `$${(p.dynamoDb.perReadRequestUnit * 1e6).toFixed(3)} per million RRU; ` +
      `API Gateway REST $${(p.apiGateway.perRestRequest * 1e6).toFixed(2)} per million; SES $${(p.ses.perEmail * 1000).toFixed(2)} per 1,000 emails.`,
  ];
}
