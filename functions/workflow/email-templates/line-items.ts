// The line item table (HTML) and list (text) shared by the templates.
import type { LineItemFacts } from './facts.ts';
import { html, oneLine, SafeHtml } from './html.ts';

/** A constant attribute of our own (never a value from the transfer), so it is not escaped. */
const CELL = new SafeHtml('style="border: 1px solid #d1d1d1; padding: 4px 8px; text-align: left;"');

export function lineItemTable(items: readonly LineItemFacts[], showStatus: boolean): SafeHtml {
  if (items.length === 0) return html`<p>No subscriptions have been selected yet.</p>`;
  const rows = items.map((item) => {
    const status = showStatus
      ? html`<td ${CELL}>${item.status}${item.error === undefined ? '' : html`: ${item.error}`}</td>`
      : '';
    return html`<tr><td ${CELL}>${item.friendlyName}</td><td ${CELL}>${item.subscriptionId}</td><td ${CELL}>${item.quantity}</td>${status}</tr>
`;
  });
  const statusHeader = showStatus ? html`<th ${CELL}>Status</th>` : '';
  return html`<table style="border-collapse: collapse;">
<thead><tr><th ${CELL}>Subscription</th><th ${CELL}>Id</th><th ${CELL}>Quantity</th>${statusHeader}</tr></thead>
<tbody>
${rows}</tbody>
</table>`;
}

export function lineItemList(items: readonly LineItemFacts[], showStatus: boolean): string {
  if (items.length === 0) return 'No subscriptions have been selected yet.';
  return items
    .map((item) => {
      const error = item.error === undefined ? '' : `: ${oneLine(item.error)}`;
      const status = showStatus ? ` - ${item.status}${error}` : '';
      return `- ${oneLine(item.friendlyName)} (${oneLine(item.subscriptionId)}), quantity ${item.quantity}${status}`;
    })
    .join('\n');
}
