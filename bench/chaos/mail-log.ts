// Everything the SES emulator showed during the campaign. Its store lives in the cloud's memory and dies with each
// kill, so it is polled every second and accumulated here: an email sent in the last second before a kill may go
// unseen, which is why invariant 4 also reads the email markers in the table.
import type { SentMail } from './invariants.ts';

interface StoredEmail {
  messageId?: string;
  subject?: string;
  destination?: { to?: string[] };
  body?: { text?: string; html?: string };
}

/** The console's transfer page (`/transfers/{customerId}/{transferId}`) or the API's (`…/transfers/{transferId}`). */
const TRANSFER_IN_LINK = /\/transfers\/(?:[0-9a-fA-F-]{36}\/)?([0-9a-fA-F-]{36})/;

export class MailLog {
  private readonly seen = new Map<string, SentMail>();
  private timer: NodeJS.Timeout | undefined;
  /** A new generation per cloud process: message ids are only unique within one emulator's life. */
  private generation = 0;
  constructor(private readonly sesUrl: string) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  cloudStopped(): void {
    this.generation += 1;
  }

  async poll(): Promise<void> {
    const generation = this.generation;
    try {
      const response = await fetch(`${this.sesUrl}/store`, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) return;
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      if (generation !== this.generation) return;
      for (const email of emails) {
        const messageId = `${generation}:${email.messageId ?? ''}`;
        const transferId = TRANSFER_IN_LINK.exec(email.body?.text ?? email.body?.html ?? '')?.[1];
        if (!transferId) continue;
        for (const recipient of email.destination?.to ?? [])
          this.seen.set(`${messageId}|${recipient}`, {
            messageId,
            transferId: transferId.toLowerCase(),
            subject: email.subject ?? '',
            recipient: recipient.toLowerCase(),
          });
      }
    } catch {
      // The cloud is restarting: the next poll catches up.
    }
  }

  emails(): SentMail[] {
    return [...this.seen.values()];
  }
}
