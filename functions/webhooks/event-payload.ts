// The body a partner's endpoint receives for an event: `{ type, timestamp, data }`, where a transfer event carries
// the transfer exactly as GET returns it to that partner (read when sending, so it never shows another partner's
// view) and its per-transfer sequence number. undefined when the partner may not see the transfer (no delivery).
import { transferRepresentation } from '#api/transfer-representation.ts';
import type { Transfer } from '#domain/model.ts';
import { readTransfer } from '#domain/transfer-commands.ts';
import { TEST_EVENT_TYPE } from '#domain/webhooks/event-types.ts';
import type { WebhookEvent } from '#domain/webhooks/model.ts';

export interface TransferReader {
  get(customerId: string, transferId: string): Promise<Transfer | undefined>;
}

/** Source and target: the partners whose endpoints hear about a transfer. */
export const transferParties = (transfer: Transfer): string[] => [
  ...new Set([transfer.sourcePartnerTenantId, transfer.targetPartnerTenantId]),
];

/** The partner's view, as if one of its users called GET. */
export function transferViewFor(transfer: Transfer, partnerTenantId: string) {
  if (!transferParties(transfer).includes(partnerTenantId)) return undefined;
  const visible = readTransfer({
    caller: { tenantId: partnerTenantId, userId: 'webhooks', roles: ['AdminAgent'] },
    transfer,
  });
  return visible.ok ? transferRepresentation(visible.value) : undefined;
}

export async function renderEventBody(
  event: WebhookEvent,
  partnerTenantId: string,
  endpointId: string,
  transfers: TransferReader,
): Promise<string | undefined> {
  if (event.subject.kind === 'test') {
    return JSON.stringify({
      type: TEST_EVENT_TYPE,
      timestamp: event.occurredTime,
      data: { webhookId: endpointId, message: 'A test event from partner-transfers: your endpoint works.' },
    });
  }
  const transfer = await transfers.get(event.subject.customerId, event.subject.transferId);
  const view = transfer ? transferViewFor(transfer, partnerTenantId) : undefined;
  if (!view) return undefined;
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredTime,
    data: { transfer: view, sequence: event.subject.sequence },
  });
}
