// The outbox relay: publishes the events recorded with transfer changes to the event bus, then forgets them. It runs
// after the fact (the local cloud polls the outbox index; on AWS the table's stream and a one-minute sweep call it),
// so a crash between a change and its publish only delays the event. Publishing twice is harmless: an event's id is
// derived from (transfer, sequence), and deliveries are keyed by it.
import type {
  PendingTransferEvents,
  TransferOutbox,
  WebhookEventPublisher,
} from '#application/webhook-ports.ts';
import type { WebhookEvent } from '#domain/webhooks/model.ts';
import { transferEventId } from './stable-ids.ts';

export interface RelayDependencies {
  outbox: TransferOutbox;
  publisher: WebhookEventPublisher;
}

const MAX_ROUNDS = 5;

function toWebhookEvents(pending: PendingTransferEvents): WebhookEvent[] {
  return pending.events.map((event) => ({
    id: transferEventId(pending.transferId, event.sequence),
    type: event.type,
    occurredTime: event.occurredTime,
    subject: {
      kind: 'transfer',
      customerId: pending.customerId,
      transferId: pending.transferId,
      sequence: event.sequence,
    },
  }));
}

/** Publishes a transfer's pending events; returns how many. */
export async function relayTransfer(
  deps: RelayDependencies,
  customerId: string,
  transferId: string,
): Promise<number> {
  let published = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let pending = await deps.outbox.readPending(customerId, transferId);
    if (!pending) return published;
    if (pending.events.some((event) => event.type === 'transfer.completed')) {
      // A line item's failure is parked on the item until moved here: move it first, so it precedes the completion.
      const parked = await deps.outbox.parkedLineItems(customerId, transferId);
      for (const entry of parked) await deps.outbox.moveLineItemEvent(entry);
      if (parked.length > 0) pending = (await deps.outbox.readPending(customerId, transferId)) ?? pending;
    }
    if (pending.events.length > 0) await deps.publisher.publish(toWebhookEvents(pending));
    published += pending.events.length;
    if (await deps.outbox.markPublished(customerId, transferId, pending.eventCount)) return published;
  }
  return published;
}

/** One sweep of the outbox index: parked line item events onto their headers, then every pending header. */
export async function relayPending(deps: RelayDependencies, limit = 100): Promise<number> {
  const entries = await deps.outbox.listPending(limit);
  const transfers = new Map<string, { customerId: string; transferId: string }>();
  for (const entry of entries) {
    if (entry.kind === 'lineItem') await deps.outbox.moveLineItemEvent(entry);
    transfers.set(`${entry.customerId}/${entry.transferId}`, entry);
  }
  let published = 0;
  for (const { customerId, transferId } of transfers.values()) {
    published += await relayTransfer(deps, customerId, transferId);
  }
  return published;
}
