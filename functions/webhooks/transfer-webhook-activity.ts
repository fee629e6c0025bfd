// What happened to one transfer's events (for `ops inspect`): the outbox's count and its unpublished events, and the
// delivery of each of the latest events to every endpoint of its two parties. Cheap by construction: the ids of an
// event and of its deliveries are derived from (transfer, sequence, endpoint), so each is one GetItem, no listing.
// Deliveries to endpoints deleted since are not found this way.
import type {
  TransferOutbox,
  WebhookDeliveryStore,
  WebhookEndpointStore,
} from '#application/webhook-ports.ts';
import type { DeliveryStatus } from '#domain/webhooks/model.ts';
import { deliveryId, transferEventId } from './stable-ids.ts';

/** Older events than this many are counted, not looked up. */
const EVENTS_SHOWN = 20;

export interface TransferWebhookActivityDependencies {
  outbox: Pick<TransferOutbox, 'readPending'>;
  endpoints: WebhookEndpointStore;
  deliveries: Pick<WebhookDeliveryStore, 'getDelivery'>;
}

export interface TransferWebhookActivity {
  /** The transfer's last event sequence number (0: none recorded). */
  eventCount: number;
  /** Recorded but not yet published to the bus. */
  pending: { sequence: number; type: string; occurredTime: string }[];
  deliveries: {
    sequence: number;
    type: string;
    webhookId: string;
    partnerTenantId: string;
    endpointId: string;
    url: string;
    status: DeliveryStatus;
    attemptCount: number;
    lastStatusCode?: number;
    lastError?: string;
    nextAttemptTime?: string;
  }[];
}

export async function readTransferWebhookActivity(
  deps: TransferWebhookActivityDependencies,
  transfer: {
    customerTenantId: string;
    id: string;
    sourcePartnerTenantId: string;
    targetPartnerTenantId: string;
  },
): Promise<TransferWebhookActivity> {
  const outbox = await deps.outbox.readPending(transfer.customerTenantId, transfer.id);
  const eventCount = outbox?.eventCount ?? 0;
  const parties = [...new Set([transfer.sourcePartnerTenantId, transfer.targetPartnerTenantId])];
  const endpoints = (
    await Promise.all(parties.map(async (partner) => (await deps.endpoints.getEndpoints(partner)).endpoints))
  ).flat();
  const firstShown = Math.max(1, eventCount - EVENTS_SHOWN + 1);
  const sequences = Array.from({ length: eventCount - firstShown + 1 }, (_, index) => firstShown + index);
  const found = await Promise.all(
    sequences.flatMap((sequence) =>
      endpoints.map(async (endpoint) => {
        const webhookId = transferEventId(transfer.id, sequence);
        const delivery = await deps.deliveries.getDelivery(endpoint.id, deliveryId(webhookId, endpoint.id));
        if (!delivery) return undefined;
        return {
          sequence,
          type: delivery.event.type,
          webhookId,
          partnerTenantId: endpoint.partnerTenantId,
          endpointId: endpoint.id,
          url: endpoint.url,
          status: delivery.status,
          attemptCount: delivery.attemptCount,
          ...(delivery.lastStatusCode !== undefined ? { lastStatusCode: delivery.lastStatusCode } : {}),
          ...(delivery.lastError !== undefined ? { lastError: delivery.lastError } : {}),
          ...(delivery.nextAttemptTime !== undefined ? { nextAttemptTime: delivery.nextAttemptTime } : {}),
        };
      }),
    ),
  );
  return {
    eventCount,
    pending: (outbox?.events ?? []).map(({ sequence, type, occurredTime }) => ({
      sequence,
      type,
      occurredTime,
    })),
    deliveries: found.filter((delivery) => delivery !== undefined),
  };
}

/** The activity as lines of `ops inspect`'s report. */
export function describeTransferWebhookActivity(activity: TransferWebhookActivity): string[] {
  return [
    `Webhook events: ${activity.eventCount} recorded, ${activity.pending.length} not yet published`,
    ...activity.pending.map((event) => `  pending #${event.sequence} ${event.type} (${event.occurredTime})`),
    'Webhook deliveries:',
    ...(activity.deliveries.length > 0
      ? activity.deliveries.map(
          (delivery) =>
            `  #${delivery.sequence} ${delivery.type} to ${delivery.url} (partner ${delivery.partnerTenantId}): ` +
            `${delivery.status}, ${delivery.attemptCount} attempt(s)` +
            `${delivery.lastStatusCode !== undefined ? `, last status ${delivery.lastStatusCode}` : ''}` +
            `${delivery.lastError ? `, last error ${delivery.lastError}` : ''}` +
            `${delivery.nextAttemptTime ? `, next attempt ${delivery.nextAttemptTime}` : ''}`,
        )
      : ['  (none)']),
  ];
}
