// The outbox relay's Lambda: called by the table's stream for items that just got pending events (fast path) and by
// a one-minute schedule that sweeps whatever is still pending (a failed or missed stream batch, a crashed relay).
// The local cloud calls it on a short interval.
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { relayPending, relayTransfer } from './relay-transfer-events.ts';
import { relayFromEnvironment } from './relay-wiring.ts';

const isStreamEvent = (event: unknown): event is DynamoDBStreamEvent =>
  Array.isArray((event as { Records?: unknown })?.Records);

export async function handler(event: unknown): Promise<{ published: number }> {
  const deps = relayFromEnvironment();
  if (!isStreamEvent(event)) return { published: await relayPending(deps) };
  let published = 0;
  const transfers = new Map<string, { customerId: string; transferId: string }>();
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    const pk = image?.PK?.S;
    const transferId = image?.entityType?.S === 'Transfer' ? image.id?.S : image?.transferId?.S;
    if (!pk || !transferId) continue;
    const customerId = pk.replace(/^CUSTOMER#/, '');
    transfers.set(`${pk}/${transferId}`, { customerId, transferId });
    if (image?.entityType?.S !== 'Transfer' && image?.SK?.S) {
      await deps.outbox.moveLineItemEvent({
        kind: 'lineItem',
        key: { PK: pk, SK: image.SK.S },
        customerId,
        transferId,
        lineItemId: image.id?.S ?? '',
      });
    }
  }
  for (const { customerId, transferId } of transfers.values()) {
    published += await relayTransfer(deps, customerId, transferId);
  }
  return { published };
}
