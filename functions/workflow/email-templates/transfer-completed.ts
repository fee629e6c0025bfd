// TransferCompleted: to the source's and the target's admin agents and to the customer, with each line item's outcome.
import type { RenderedEmail, TransferEmailFacts } from './facts.ts';
import { emailDocument, html, oneLine, safeHref } from './html.ts';
import { lineItemList, lineItemTable } from './line-items.ts';

export function renderTransferCompleted(facts: TransferEmailFacts): RenderedEmail {
  const customer = oneLine(facts.customerName);
  const source = oneLine(facts.sourcePartnerName);
  const target = oneLine(facts.targetPartnerName);
  const href = safeHref(facts.transferUrl);
  const { moved, failed, total } = facts.progress;
  const allMoved = facts.status === 'Complete';

  const subject = allMoved
    ? `Transfer complete: billing for ${customer} moved from ${source} to ${target}`
    : `Transfer completed with errors: ${moved} of ${total} subscriptions of ${customer} moved to ${target}`;
  const summary = allMoved
    ? `All ${total} subscription(s) of ${customer} are now billed by ${target} instead of ${source}.`
    : `${moved} of ${total} subscription(s) of ${customer} are now billed by ${target}; ${failed} could not be ` +
      `moved and stay with ${source}.`;

  const bodyHtml = html`<h1 style="font-size: 20px;">${subject}</h1>
<p>${summary}</p>
<p>Customer: <strong>${customer}</strong> (${facts.customerId})</p>
<p>Transfer: <a href="${href}">${facts.transferId}</a>${facts.completedTime === undefined ? '' : html` (completed ${facts.completedTime})`}</p>
${lineItemTable(facts.lineItems, true)}`;

  const text = [
    summary,
    `Customer: ${customer} (${facts.customerId})`,
    '',
    `Transfer ${facts.transferId}${facts.completedTime === undefined ? '' : ` (completed ${facts.completedTime})`}:`,
    facts.transferUrl,
    '',
    lineItemList(facts.lineItems, true),
    '',
    'This message was sent by the partner transfers service. Please do not reply.',
  ].join('\n');

  return { subject, html: emailDocument(subject, bodyHtml), text };
}
