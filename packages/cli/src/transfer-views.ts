// Human renderings of transfers: one line per transfer in listings, the detail view with line items.
import type { Transfer, TransferSummary } from '@partner-transfers/client';
import { type Output, statusText, table } from './output.ts';

const shortTime = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');

export function transferListing(
  transfers: readonly (TransferSummary & { direction?: string })[],
  output: Output,
) {
  const withDirection = transfers.some((transfer) => transfer.direction);
  return table(
    [...(withDirection ? ['DIR'] : []), 'TRANSFER', 'CUSTOMER', 'STATUS', 'FROM → TO', 'ITEMS', 'CREATED'],
    transfers.map((transfer) => [
      ...(withDirection ? [transfer.direction === 'incoming' ? 'in' : 'out'] : []),
      transfer.id,
      transfer.customerName ?? transfer.customerTenantId,
      statusText(transfer.status, output),
      `${transfer.sourcePartnerName} → ${transfer.targetPartnerName}`,
      String(transfer.lineItemCount),
      shortTime(transfer.createdTime),
    ]),
    output,
  );
}

export function transferDetail(transfer: Transfer, output: Output): string {
  const { bold, dim } = output.colors;
  const { moved, failed, total } = transfer.progress;
  const lines = [
    `${bold('Transfer')} ${transfer.id}  ${statusText(transfer.status, output)}`,
    `  customer   ${transfer.customerName ? `${transfer.customerName} ` : ''}${dim(transfer.customerTenantId)}`,
    `  from       ${transfer.sourcePartnerName} ${dim(transfer.sourcePartnerTenantId)}`,
    `  to         ${transfer.targetPartnerName} ${dim(transfer.targetPartnerTenantId)}`,
    `  created    ${shortTime(transfer.createdTime)}   expires ${shortTime(transfer.expirationTime)}`,
    ...(transfer.acceptedTime ? [`  accepted   ${shortTime(transfer.acceptedTime)}`] : []),
    ...(transfer.completedTime ? [`  completed  ${shortTime(transfer.completedTime)}`] : []),
    `  progress   ${moved} of ${total} moved${failed ? `, ${failed} failed` : ''}`,
  ];
  if (transfer.lineItems.length > 0) {
    lines.push(
      '',
      table(
        ['SUBSCRIPTION', 'NAME', 'TYPE', 'QTY', 'STATUS', 'ERROR'],
        transfer.lineItems.map((item) => [
          item.subscriptionId,
          item.friendlyName,
          item.productType,
          String(item.quantity),
          statusText(item.status, output),
          item.transferError ? `${item.transferError.code}: ${item.transferError.description}` : '',
        ]),
        output,
      ),
    );
  }
  for (const error of transfer.notificationErrors) {
    lines.push(dim(`  email to ${error.recipient} (${error.event}) failed: ${error.description}`));
  }
  return lines.join('\n');
}
