// The email a partner's admins get when one of their webhook endpoints is switched off for failing five days.
import type { EmailMessage } from '#adapters/ses-email-sender.ts';
import type { WebhookEndpoint } from '#domain/webhooks/model.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export function endpointDisabledEmail(endpoint: WebhookEndpoint, to: string): EmailMessage {
  const text =
    `Every delivery to your webhook endpoint ${endpoint.url} (id ${endpoint.id}) has failed since ` +
    `${endpoint.failingSince ?? 'five days ago'}, so it no longer receives transfer events.\n\n` +
    'Fix the receiver, then turn it back on with PATCH /v1/webhooks/{id} {"disabled": false} and redeliver what it ' +
    'missed from GET /v1/webhooks/{id}/deliveries.';
  return {
    to,
    subject: 'Your webhook endpoint was disabled after failing for five days',
    text,
    html: `<p>${escapeHtml(text).replaceAll('\n\n', '</p><p>')}</p>`,
  };
}
