// What the webhook use cases need from the outside world, one small port per concern. Implementations:
// adapters/dynamodb-webhook-repository.ts, adapters/sqs-delivery-queue.ts, adapters/eventbridge-event-publisher.ts,
// adapters/webhook-http-sender.ts, adapters/transfer-outbox.ts.
import type { Page, PageRequest } from '#application/ports.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from '#domain/webhooks/model.ts';
import type { RecordedTransferEvent } from '#domain/webhooks/transfer-events.ts';

export interface PartnerEndpoints {
  endpoints: WebhookEndpoint[];
  /** 0 when the partner never registered one; every save must name the version it read. */
  version: number;
}

export interface WebhookEndpointStore {
  getEndpoints(tenantId: string): Promise<PartnerEndpoints>;
  /** false when another writer saved first (the caller reads again and retries). */
  saveEndpoints(tenantId: string, endpoints: WebhookEndpoint[], expectedVersion: number): Promise<boolean>;
}

export interface WebhookDeliveryStore {
  getDelivery(endpointId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** false when the delivery already exists (a repeated fan-out). */
  createDelivery(delivery: WebhookDelivery): Promise<boolean>;
  saveDelivery(delivery: WebhookDelivery): Promise<void>;
  listDeliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
}

/** The queue message that makes the deliverer attempt one delivery. */
export interface DeliveryMessage {
  kind: 'delivery';
  partnerTenantId: string;
  endpointId: string;
  deliveryId: string;
}

export interface DeliveryQueue {
  enqueue(message: DeliveryMessage): Promise<void>;
}

/** Puts transfer events on the event bus (EventBridge on AWS), from where a rule feeds the delivery queue. */
export interface WebhookEventPublisher {
  publish(events: readonly WebhookEvent[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Calling a partner's endpoint (adapters/webhook-http-sender.ts).

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WebhookResponse =
  | { delivered: true; statusCode: number; responseExcerpt: string }
  | { delivered: false; statusCode?: number; error: string; responseExcerpt?: string };

export interface WebhookHttpSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}

// ---------------------------------------------------------------------------------------------------------------------
// The transfer outbox (adapters/transfer-outbox.ts): events recorded with the transfer writes, read by the relay.

/** A transfer's events waiting to be published, each with its sequence number. */
export interface PendingTransferEvents {
  customerId: string;
  transferId: string;
  eventCount: number;
  events: (RecordedTransferEvent & { sequence: number })[];
}

/** Where the relay finds work: headers with pending events, and line items with a parked one. */
export type OutboxEntry =
  | { kind: 'header'; customerId: string; transferId: string }
  | {
      kind: 'lineItem';
      key: { PK: string; SK: string };
      customerId: string;
      transferId: string;
      lineItemId: string;
    };

/** What the relay needs of the outbox . */
export interface TransferOutbox {
  listPending(limit?: number): Promise<OutboxEntry[]>;
  readPending(customerId: string, transferId: string): Promise<PendingTransferEvents | undefined>;
  markPublished(customerId: string, transferId: string, eventCount: number): Promise<boolean>;
  parkedLineItems(
    customerId: string,
    transferId: string,
  ): Promise<Extract<OutboxEntry, { kind: 'lineItem' }>[]>;
  moveLineItemEvent(entry: Extract<OutboxEntry, { kind: 'lineItem' }>): Promise<void>;
}
