// What the deliverer accepts off the webhook queue: the bus's envelope around one of our events, or one of its own
// delivery messages; anything else is refused (the deliverer drops and logs it). Only the known fields are kept.
import { describe, expect, it } from 'vitest';
import { parseQueueMessage } from '#webhooks/queue-message.ts';

const event = {
  id: 'evt-1',
  type: 'transfer.created',
  occurredTime: '2030-01-01T00:00:00.000Z',
  subject: { kind: 'transfer', customerId: 'c', transferId: 't', sequence: 1 },
};
const envelope = { 'detail-type': 'transfer.created', source: 'partner-transfers', detail: event };
const delivery = { kind: 'delivery', partnerTenantId: 'p', endpointId: 'e', deliveryId: 'd' };

describe('a webhook queue message', () => {
  it('is an event envelope or a delivery, with only the fields the deliverer knows', () => {
    expect(parseQueueMessage({ ...envelope, detail: { ...event, extra: 1 } })).toEqual({ detail: event });
    expect(
      parseQueueMessage({ ...envelope, detail: { ...event, subject: { kind: 'test', transferId: 't' } } }),
    ).toEqual({ detail: { ...event, subject: { kind: 'test' } } });
    expect(parseQueueMessage({ ...delivery, extra: 1 })).toEqual(delivery);
  });

  it.each([
    ['not an object', 'text'],
    ['an unknown event type', { ...envelope, detail: { ...event, type: 'transfer.renamed' } }],
    ['an empty event id', { ...envelope, detail: { ...event, id: '' } }],
    [
      'a fractional sequence',
      { ...envelope, detail: { ...event, subject: { ...event.subject, sequence: 1.5 } } },
    ],
    ['an unknown subject', { ...envelope, detail: { ...event, subject: { kind: 'customer' } } }],
    ['an envelope without detail-type', { detail: event }],
    ['a delivery without its id', { ...delivery, deliveryId: undefined }],
  ])('refuses %s', (_, message) => {
    expect(parseQueueMessage(message)).toBeUndefined();
  });
});
