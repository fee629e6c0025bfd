// The email templates (rendered in code): every value from the transfer is escaped in HTML, subjects stay on one line,
// the link is the console's page of the transfer, and nothing but the transfer's public facts reaches a template.
import { describe, expect, it } from 'vitest';
import type { Transfer } from '#domain/model.ts';
import { escapeHtml, html, safeHref } from '#workflow/email-templates/html.ts';
import { renderTransferEmail, transferEmailFacts } from '#workflow/email-templates/index.ts';

const HOSTILE = `<script>alert("x")</script> & 'quotes'`;

function transfer(overrides: Partial<Transfer> = {}): Transfer {
  return {
    id: '5b2c7e0a-2d7e-4a4f-9c11-000000000001',
    customerTenantId: 'c0000000-0000-4000-8000-000000000001',
    customerName: `Woodgrove ${HOSTILE}`,
    customerEmailId: 'it@woodgrove.example',
    sourcePartnerTenantId: 'a0000000-0000-4000-8000-000000000001',
    sourcePartnerName: 'Contoso <b>Direct</b>',
    targetPartnerTenantId: 'a0000000-0000-4000-8000-000000000002',
    targetPartnerName: 'Fabrikam\r\nBcc: victim@example.com',
    transferType: 3,
    status: 'Active',
    createdTime: '2030-01-01T00:00:00.000Z',
    lastModifiedTime: '2030-01-01T00:00:00.000Z',
    lastModifiedUser: 'target-admin',
    expirationTime: '2030-01-31T00:00:00.000Z',
    lineItems: [
      {
        id: '0',
        subscriptionId: 'd0000000-0000-4000-8000-000000000001',
        quantity: 25,
        billingCycle: 'Monthly',
        friendlyName: `M365 ${HOSTILE}`,
        offerId: 'CFQ7TTC0LH18',
        skuId: '0001',
        catalogItemId: 'CFQ7TTC0LH18:0001',
        termDuration: 'P1M',
        productType: 'OnlineServicesNCE',
        status: 'Failed',
        attempts: 3,
        transferError: { code: 'PermanentMoveError', description: `Refused: ${HOSTILE}` },
      },
    ],
    version: 1,
    ...overrides,
  };
}

const CONSOLE = 'https://console.example.com';
const LINK = `${CONSOLE}/transfers/c0000000-0000-4000-8000-000000000001/5b2c7e0a-2d7e-4a4f-9c11-000000000001`;

describe('email templates', () => {
  it.each([
    ['TransferCreated', 'sourceAdmin'],
    ['TransferCreated', 'customer'],
    ['TransferCompleted', 'targetAdmin'],
    ['TransferCompleted', 'customer'],
  ] as const)("%s for %s escapes every value and links the console's transfer page", (event, audience) => {
    const facts = transferEmailFacts(
      transfer({ status: event === 'TransferCompleted' ? 'CompletedWithErrors' : 'Active' }),
      audience,
      `${CONSOLE}/`,
    );
    const email = renderTransferEmail(event, facts);
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>Direct</b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(email.html).toContain(`href="${LINK}"`);
    expect(email.text).toContain(LINK);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).not.toContain('\r');
    expect(email.html).toContain('Woodgrove');
  });

  it.each([
    ['TransferCreated', 'Active', 'sourceAdmin'],
    ['TransferCreated', 'Active', 'customer'],
    ['TransferCompleted', 'Complete', 'sourceAdmin'],
    ['TransferCompleted', 'Complete', 'targetAdmin'],
    ['TransferCompleted', 'Complete', 'customer'],
    ['TransferCompleted', 'CompletedWithErrors', 'customer'],
  ] as const)(
    '%s (%s) for %s names the customer in the subject and body, with its id',
    (event, status, audience) => {
      const named = transfer({ status, customerName: 'Woodgrove Bank' });
      const email = renderTransferEmail(event, transferEmailFacts(named, audience, CONSOLE));
      expect(email.subject).toContain('Woodgrove Bank');
      for (const body of [email.text, email.html]) {
        expect(body).toContain('Woodgrove Bank');
        expect(body).toContain(named.customerTenantId);
      }
    },
  );

  it('the creation email tells the source what to do and by when; the customer only what happens', () => {
    const forSource = renderTransferEmail(
      'TransferCreated',
      transferEmailFacts(transfer(), 'sourceAdmin', CONSOLE),
    );
    expect(forSource.subject).toMatch(
      /^Transfer request: Fabrikam Bcc: victim@example.com asks to take over billing/,
    );
    expect(forSource.text).toContain('submit the transfer before 2030-01-31T00:00:00.000Z');
    const forCustomer = renderTransferEmail(
      'TransferCreated',
      transferEmailFacts(transfer(), 'customer', CONSOLE),
    );
    expect(forCustomer.text).toContain('Nothing changes until');
    expect(forCustomer.text).not.toContain('submit the transfer');
  });

  it('the completion email lists each line item with its outcome', () => {
    const completed = transfer({ status: 'CompletedWithErrors', completedTime: '2030-01-02T00:00:00.000Z' });
    const email = renderTransferEmail(
      'TransferCompleted',
      transferEmailFacts(completed, 'sourceAdmin', CONSOLE),
    );
    expect(email.subject).toMatch(/^Transfer completed with errors: 0 of 1 subscriptions/);
    expect(email.text).toContain('- M365');
    expect(email.text).toContain('Failed: Refused:');
    expect(email.html).toContain('Failed: Refused: &lt;script&gt;');
    const complete = renderTransferEmail(
      'TransferCompleted',
      transferEmailFacts({ ...completed, status: 'Complete', lineItems: [] }, 'customer', CONSOLE),
    );
    expect(complete.subject).toMatch(/^Transfer complete: billing for Woodgrove/);
  });

  it('never shows a task token, even if one is attached to the object it was given', () => {
    const withToken = { ...transfer(), acceptanceTaskToken: 'SECRET-TASK-TOKEN' } as Transfer;
    for (const event of ['TransferCreated', 'TransferCompleted'] as const) {
      const email = renderTransferEmail(event, transferEmailFacts(withToken, 'sourceAdmin', CONSOLE));
      expect(`${email.subject}${email.html}${email.text}`).not.toContain('SECRET-TASK-TOKEN');
    }
  });
});

describe('html helpers', () => {
  it('escapes interpolations but keeps nested fragments', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p>${'<i>'}${html`<i>ok</i>`}${[html`<br>`, html`<br>`]}${undefined}${3}</p>`.value).toBe(
      '<p>&lt;i&gt;<i>ok</i><br><br>3</p>',
    );
  });

  it('refuses links that are not http(s)', () => {
    expect(() => safeHref('javascript:alert(1)')).toThrow(/protocol javascript:/);
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
  });
});
