// TransferCreated: to the source partner's admin agents (who must act) and to the customer (for information).
import type { RenderedEmail, TransferEmailFacts } from './facts.ts';
import { emailDocument, html, oneLine, safeHref } from './html.ts';
import { lineItemList, lineItemTable } from './line-items.ts';

export function renderTransferCreated(facts: TransferEmailFacts): RenderedEmail {
  const customer = oneLine(facts.customerName);
  const source = oneLine(facts.sourcePartnerName);
  const target = oneLine(facts.targetPartnerName);
  const href = safeHref(facts.transferUrl);
  const forSource = facts.audience !== 'customer';

  const subject = forSource
    ? `Transfer request: ${target} asks to take over billing for ${customer}`
    : `${target} has requested to take over billing of the subscriptions of ${customer} from ${source}`;

  const intro = forSource
    ? html`<p><strong>${target}</strong> has asked to take over billing of the subscriptions of
<strong>${customer}</strong> (customer ${facts.customerId}) that <strong>${source}</strong> bills today.</p>
<p>To accept, select the subscriptions to transfer and submit the transfer before
<strong>${facts.expirationTime}</strong>. If nobody acts by then, the request expires.</p>`
    : html`<p><strong>${target}</strong> has asked <strong>${source}</strong> to transfer the billing of your
subscriptions (${customer}) to them. Nothing changes until ${source} accepts; you will get another email when the
transfer is complete.</p>`;

  const bodyHtml = html`<h1 style="font-size: 20px;">${subject}</h1>
${intro}
<p>Transfer: <a href="${href}">${facts.transferId}</a> (expires ${facts.expirationTime})</p>
${lineItemTable(facts.lineItems, false)}`;

  const textIntro = forSource
    ? [
        `${target} has asked to take over billing of the subscriptions of ${customer} (customer ${facts.customerId})`,
        `that ${source} bills today.`,
        `To accept, select the subscriptions to transfer and submit the transfer before ${facts.expirationTime}.`,
        'If nobody acts by then, the request expires.',
      ]
    : [
        `${target} has asked ${source} to transfer the billing of your subscriptions (${customer}) to them.`,
        `Nothing changes until ${source} accepts; you will get another email when the transfer is complete.`,
      ];
  const text = [
    ...textIntro,
    '',
    `Transfer ${facts.transferId} (expires ${facts.expirationTime}):`,
    facts.transferUrl,
    '',
    lineItemList(facts.lineItems, false),
    '',
    'This message was sent by the partner transfers service. Please do not reply.',
  ].join('\n');

  return { subject, html: emailDocument(subject, bodyHtml), text };
}
