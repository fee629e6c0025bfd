// Which event a transfer change is: the one mapping from a stored change to the public event type.
import type { TransferStatus } from '#domain/model.ts';
import type { TransferEventType } from './event-types.ts';

/** The event of a status change; InProgress (moving started) is not an event of its own. */
export function eventTypeForStatus(status: TransferStatus): TransferEventType | undefined {
  switch (status) {
    case 'Accepted':
      return 'transfer.accepted';
    case 'Canceled':
      return 'transfer.canceled';
    case 'Expired':
      return 'transfer.expired';
    case 'Complete':
    case 'CompletedWithErrors':
      return 'transfer.completed';
    default:
      return undefined;
  }
}

/** An event as the outbox records it, before it has its sequence number. */
export interface RecordedTransferEvent {
  type: TransferEventType;
  occurredTime: string;
}
