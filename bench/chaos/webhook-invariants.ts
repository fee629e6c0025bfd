// Invariant 6, webhooks: what the campaign's receiver got (webhook-log.ts) against what the service stored. Each
// transfer records its events in its outbox (`eventCount` is the last sequence number; see
// functions/adapters/transfer-outbox.ts), the relay publishes them, and the deliverer stores one delivery per event
// and subscribed endpoint (`WEBHOOK#<endpoint>` / `DELIVERY#<id>`, carrying the event's id, type and sequence) before
// it POSTs. At any moment: every request that arrived is signed with the endpoint's secret, names an event the
// service stored a delivery of for that endpoint (same type, transfer and sequence) and recorded on the transfer, a
// webhook-id always carries the same event and an event always the same webhook-id, and an endpoint gets only the
// types it subscribed to. At the end (outbox drained): every recorded event has its delivery to each subscribed
// endpoint, Succeeded and received at least once, and each transfer's events tell its story (created first, then
// its acceptance and its terminal state).
import { Checker, type CheckTally } from './checker.ts';
import type { TableSnapshot } from './table-snapshot.ts';
import type { ReceivedDelivery, RegisteredEndpoint } from './webhook-log.ts';

const subscribes = (endpoint: RegisteredEndpoint, type: string) =>
  endpoint.events.includes('*') || endpoint.events.includes(type);

const ACCEPTED_PATH = new Set(['Accepted', 'InProgress', 'Complete', 'CompletedWithErrors']);

/** The event types a transfer in this status must have recorded. */
function expectedTypes(status: string): string[] {
  const types = ['transfer.created'];
  if (ACCEPTED_PATH.has(status)) types.push('transfer.accepted');
  if (status === 'Complete' || status === 'CompletedWithErrors') types.push('transfer.completed');
  if (status === 'Canceled') types.push('transfer.canceled');
  if (status === 'Expired') types.push('transfer.expired');
  return types;
}

const eventName = (transferId: string, sequence: number | undefined) => `${transferId}#${sequence ?? '?'}`;

/**
 * What holds at any moment, for the deliveries received before the snapshot began (a delivery's record is stored
 * before its POST and its event recorded before that, so the snapshot has both).
 */
export function checkWebhookSafety(
  snapshot: TableSnapshot,
  received: readonly ReceivedDelivery[],
  endpoints: readonly RegisteredEndpoint[],
): CheckTally {
  const check = new Checker();
  const endpointById = new Map(endpoints.map((endpoint) => [endpoint.endpointId, endpoint]));
  const stored = new Map(
    snapshot.webhookDeliveries.map((delivery) => [`${delivery.endpointId}|${delivery.eventId}`, delivery]),
  );
  const eventOfId = new Map<string, string>();
  const idOfEvent = new Map<string, string>();
  for (const delivery of received) {
    const endpoint = delivery.endpointId === undefined ? undefined : endpointById.get(delivery.endpointId);
    check.expect(
      endpoint !== undefined,
      6,
      `a webhook delivery (${delivery.webhookId}) reached ${delivery.path}, an endpoint the campaign did not register`,
      delivery.transferId || undefined,
    );
    if (!endpoint) continue;
    check.expect(
      delivery.signatureValid,
      6,
      `webhook ${delivery.webhookId} (${delivery.type}) to ${endpoint.endpointId}: the signature does not verify with the endpoint's secret`,
      delivery.transferId,
    );
    check.expect(
      subscribes(endpoint, delivery.type),
      6,
      `endpoint ${endpoint.endpointId} (events ${endpoint.events.join(',')}) got a ${delivery.type} it did not subscribe to`,
      delivery.transferId,
    );
    const record = stored.get(`${endpoint.endpointId}|${delivery.webhookId}`);
    check.expect(
      record !== undefined,
      6,
      `webhook-id ${delivery.webhookId} (${delivery.type}, ${eventName(delivery.transferId, delivery.sequence)}) reached ${endpoint.endpointId} but the service stored no such delivery`,
      delivery.transferId,
    );
    if (record)
      check.expect(
        record.type === delivery.type &&
          record.transferId === delivery.transferId &&
          record.sequence === delivery.sequence,
        6,
        `webhook-id ${delivery.webhookId} carried ${delivery.type} ${eventName(delivery.transferId, delivery.sequence)} but the service stored ${record.type} ${eventName(record.transferId, record.sequence)}`,
        delivery.transferId,
      );
    const header = snapshot.headers.get(delivery.transferId);
    check.expect(
      header !== undefined && delivery.sequence !== undefined && delivery.sequence <= header.eventCount,
      6,
      `webhook ${delivery.type} ${eventName(delivery.transferId, delivery.sequence)} was delivered but the transfer recorded ${header?.eventCount ?? 'no'} events`,
      delivery.transferId,
    );
    // Stable ids: redeliveries and republished events carry the same webhook-id and the same event.
    const event = `${delivery.type} ${eventName(delivery.transferId, delivery.sequence)}`;
    const knownEvent = eventOfId.get(delivery.webhookId);
    check.expect(
      knownEvent === undefined || knownEvent === event,
      6,
      `webhook-id ${delivery.webhookId} carried ${knownEvent} and later ${event}`,
      delivery.transferId,
    );
    eventOfId.set(delivery.webhookId, knownEvent ?? event);
    const perEndpoint = `${endpoint.endpointId}|${eventName(delivery.transferId, delivery.sequence)}`;
    const knownId = idOfEvent.get(perEndpoint);
    check.expect(
      knownId === undefined || knownId === delivery.webhookId,
      6,
      `event ${eventName(delivery.transferId, delivery.sequence)} reached ${endpoint.endpointId} as webhook-id ${knownId} and as ${delivery.webhookId}`,
      delivery.transferId,
    );
    idOfEvent.set(perEndpoint, knownId ?? delivery.webhookId);
  }
  return check;
}

/**
 * At the end, once every transfer is terminal and no execution runs: the outbox is drained and every recorded event
 * reached each endpoint subscribed to its type at least once (its stored delivery Succeeded and the receiver has it).
 */
export function checkWebhookCompletion(
  snapshot: TableSnapshot,
  received: readonly ReceivedDelivery[],
  endpoints: readonly RegisteredEndpoint[],
): CheckTally {
  const check = new Checker();
  check.expect(
    snapshot.outboxPending === 0,
    6,
    `the outbox is not drained: ${snapshot.outboxPending} item(s) hold unpublished events`,
  );
  const arrived = new Set(received.map((delivery) => `${delivery.endpointId}|${delivery.webhookId}`));
  const recordsByEvent = new Map<string, TableSnapshot['webhookDeliveries']>();
  const ours = new Set(endpoints.map((endpoint) => endpoint.endpointId));
  for (const record of snapshot.webhookDeliveries) {
    if (!ours.has(record.endpointId)) continue;
    const key = eventName(record.transferId, record.sequence);
    recordsByEvent.set(key, [...(recordsByEvent.get(key) ?? []), record]);
  }
  for (const header of snapshot.headers.values()) {
    check.expect(
      header.pendingEvents === 0,
      6,
      `${header.pendingEvents} event(s) still unpublished in the outbox`,
      header.id,
    );
    const types: string[] = [];
    for (let sequence = 1; sequence <= header.eventCount; sequence++) {
      const records = recordsByEvent.get(eventName(header.id, sequence)) ?? [];
      const recordTypes = new Set(records.map((record) => record.type));
      check.expect(
        recordTypes.size === 1,
        6,
        recordTypes.size === 0
          ? `event #${sequence} was recorded but no delivery of it was stored for any endpoint`
          : `the deliveries of event #${sequence} disagree about its type: ${[...recordTypes].join(', ')}`,
        header.id,
      );
      const type = [...recordTypes][0];
      if (type === undefined) continue;
      types.push(type);
      for (const endpoint of endpoints) {
        const record = records.find((candidate) => candidate.endpointId === endpoint.endpointId);
        if (!subscribes(endpoint, type)) {
          check.expect(
            record === undefined,
            6,
            `a ${type} delivery was stored for ${endpoint.endpointId}, which did not subscribe to it`,
            header.id,
          );
          continue;
        }
        check.expect(
          record?.status === 'Succeeded' && arrived.has(`${endpoint.endpointId}|${record.eventId}`),
          6,
          record === undefined
            ? `event #${sequence} (${type}) has no delivery to ${endpoint.endpointId}`
            : `event #${sequence} (${type}) to ${endpoint.endpointId}: delivery ${record.status} after ${record.attemptCount} attempt(s), ${arrived.has(`${endpoint.endpointId}|${record.eventId}`) ? 'received' : 'never received'}`,
          header.id,
        );
      }
    }
    check.expect(
      types[0] === 'transfer.created',
      6,
      `the first event is ${types[0] ?? 'missing'}, not transfer.created`,
      header.id,
    );
    for (const type of expectedTypes(header.status))
      check.expect(types.includes(type), 6, `a ${header.status} transfer without a ${type} event`, header.id);
  }
  return check;
}

export interface WebhookFigures {
  endpoints: { partnerTenantId: string; events: string }[];
  /** Events the transfers recorded (their outboxes' sequence numbers). */
  eventsRecorded: number;
  /** Deliveries the service stored for the campaign's endpoints (one per event and subscribed endpoint). */
  deliveriesStored: number;
  /** Requests the receiver got, distinct (endpoint, webhook-id) among them, and the repeats. */
  requestsReceived: number;
  distinctDelivered: number;
  duplicates: number;
  invalidSignatures: number;
}

export function webhookFigures(
  snapshot: TableSnapshot,
  received: readonly ReceivedDelivery[],
  endpoints: readonly RegisteredEndpoint[],
): WebhookFigures {
  const ours = new Set(endpoints.map((endpoint) => endpoint.endpointId));
  const distinct = new Set(received.map((delivery) => `${delivery.endpointId}|${delivery.webhookId}`)).size;
  return {
    endpoints: endpoints.map((endpoint) => ({
      partnerTenantId: endpoint.partnerTenantId,
      events: endpoint.events.join(','),
    })),
    eventsRecorded: [...snapshot.headers.values()].reduce((sum, header) => sum + header.eventCount, 0),
    deliveriesStored: snapshot.webhookDeliveries.filter((delivery) => ours.has(delivery.endpointId)).length,
    requestsReceived: received.length,
    distinctDelivered: distinct,
    duplicates: received.length - distinct,
    invalidSignatures: received.filter((delivery) => !delivery.signatureValid).length,
  };
}
