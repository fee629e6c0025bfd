// What the webhook use cases need from the outside world, one small port per concern. Implementations:
// adapters/dynamodb-webhook-repository.ts, adapters/webhook-queue.ts (SQS), adapters/webhook-http-sender.ts.
import type { Page, PageRequest } from '#application/ports.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from '#domain/webhooks/model.ts';

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
