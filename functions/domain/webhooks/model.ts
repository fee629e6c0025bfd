// What the service keeps about a partner's webhook endpoints and each delivery to them. Pure data: storage lives in
// adapters/dynamodb-webhook-repository.ts, the public shape in api/webhooks/webhook-representation.ts.
import type { EventSubscription, WebhookEventType } from './event-types.ts';

/** A signing secret (`whsec_` + base64). A rotated-out secret keeps signing until `expiresAt`. */
export interface WebhookSecret {
  value: string;
  expiresAt?: string;
}

export type EndpointDisabledReason = 'DisabledByPartner' | 'FailingForFiveDays';

export interface WebhookEndpoint {
  id: string;
  partnerTenantId: string;
  url: string;
  events: EventSubscription[];
  description?: string;
  disabled: boolean;
  disabledReason?: EndpointDisabledReason;
  /** The current secret first, then rotated-out secrets still inside their overlap. */
  secrets: WebhookSecret[];
  createdTime: string;
  updatedTime: string;
  /** Set by the first failed attempt after a success (or since creation); cleared by the next success. */
  failingSince?: string;
}

/** Where an event's payload comes from: a transfer change (rendered per partner) or a test. */
export type WebhookEventSubject =
  | { kind: 'transfer'; customerId: string; transferId: string; sequence: number }
  | { kind: 'test' };

/** One event as the bus carries it: the id every delivery of it uses as `webhook-id`. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  /** When the change happened (ISO 8601); also the body's `timestamp`. */
  occurredTime: string;
  subject: WebhookEventSubject;
}

export type DeliveryStatus = 'Pending' | 'Succeeded' | 'Failed';

/** One event to one endpoint, with the outcome of its latest attempt. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  partnerTenantId: string;
  event: WebhookEvent;
  status: DeliveryStatus;
  /** Attempts so far, every cycle included. */
  attemptCount: number;
  /** Attempts in the current retry cycle (a redelivery starts a new cycle). */
  cycleAttemptCount: number;
  createdTime: string;
  lastAttemptTime?: string;
  lastStatusCode?: number;
  lastError?: string;
  /** At most RESPONSE_EXCERPT_MAX_CHARS characters of the receiver's last answer. */
  lastResponseExcerpt?: string;
  nextAttemptTime?: string;
}
