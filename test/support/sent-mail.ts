// Reads the mail a target sent: the local SES emulator's store, or LocalStack's `/_aws/ses` (E2E_MAIL_URL).
// AWS itself keeps no readable mailbox, so there the e2e tests skip their email assertions.

export interface SentEmail {
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
}

export type SentMailReader = () => Promise<SentEmail[]>;

/** aws-ses-v2-local: GET /store -> { emails: [{ subject, destination: { to }, body: { text, html } }] }. */
export const localSesMail =
  (sesUrl: string): SentMailReader =>
  async () => {
    const response = await fetch(`${sesUrl}/store`);
    return ((await response.json()) as { emails: SentEmail[] }).emails;
  };

interface LocalStackMessage {
  Subject?: string;
  Destination?: { ToAddresses?: string[] };
  Body?: { text_part?: string | null; html_part?: string | null };
}

/** LocalStack: GET /_aws/ses -> { messages: [{ Subject, Destination: { ToAddresses }, Body: { text_part, html_part } }] }. */
export const localStackMail =
  (mailUrl: string): SentMailReader =>
  async () => {
    const response = await fetch(mailUrl);
    const { messages } = (await response.json()) as { messages: LocalStackMessage[] };
    return messages.map((message) => ({
      subject: message.Subject ?? '',
      destination: { to: message.Destination?.ToAddresses ?? [] },
      body: { text: message.Body?.text_part ?? undefined, html: message.Body?.html_part ?? undefined },
    }));
  };
