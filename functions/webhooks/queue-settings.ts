// The webhook queue's settings, shared by the CDK stack and the local cloud's queue.
export const WEBHOOK_QUEUE_SETTINGS = {
  /** A received message stays hidden this long unless the deliverer sets its retry pause; > the deliverer timeout. */
  visibilityTimeoutSeconds: 90,
  /** Receives before the dead-letter queue: scheduled retries (8 attempts) plus crashes to spare. */
  maxReceiveCount: 15,
  /** Longer than the retry schedule (about 27.6 h) with room for redeliveries. */
  retentionDays: 4,
  /** The deliverer's Lambda timeout: a few 10-second attempts per batch. */
  delivererTimeoutSeconds: 60,
} as const;
