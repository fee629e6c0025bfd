// The email templates, kept in the repository and rendered in code (subject, HTML and text) per transfer event.
import type { RenderedEmail, TransferEmailFacts } from './facts.ts';
import { renderTransferCompleted } from './transfer-completed.ts';
import { renderTransferCreated } from './transfer-created.ts';

export type TransferEmailEvent = 'TransferCreated' | 'TransferCompleted';

export const TRANSFER_EMAIL_TEMPLATES: Record<
  TransferEmailEvent,
  (facts: TransferEmailFacts) => RenderedEmail
> = {
  TransferCreated: renderTransferCreated,
  TransferCompleted: renderTransferCompleted,
};

export function renderTransferEmail(event: TransferEmailEvent, facts: TransferEmailFacts): RenderedEmail {
  return TRANSFER_EMAIL_TEMPLATES[event](facts);
}

export type { EmailAudience, RenderedEmail, TransferEmailFacts } from './facts.ts';
export { transferEmailFacts, transferPageUrl } from './facts.ts';
