// Ids derived from what they name, so that a repeated publish or fan-out lands on the same event and delivery
// (and the receiver sees the same webhook-id) instead of creating twins. GUID-shaped (version 8: custom).
import { createHash } from 'node:crypto';

export function stableGuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The webhook-id of a transfer's n-th event. */
export const transferEventId = (transferId: string, sequence: number) =>
  stableGuid('transfer-event', transferId, String(sequence));

/** One event to one endpoint. */
export const deliveryId = (eventId: string, endpointId: string) =>
  stableGuid('delivery', eventId, endpointId);
