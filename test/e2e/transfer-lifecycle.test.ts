// A transfer's whole life over HTTP, like the two partner systems would drive it: the target creates it, the source
// and the customer are emailed, the source chooses the line items and submits, the workflow moves everything, all
// three parties are emailed, and both partners find their audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_CUSTOMER_RECORDS,
  SANDBOX_CUSTOMERS,
  SANDBOX_PARTNERS,
  SANDBOX_TENANTS,
} from '#local/sandbox.ts';
import type { SentEmail } from '#test/support/sent-mail.ts';
import { type E2eTarget, startE2eTarget } from '#test/support/target.ts';
import {
  emailsTo,
  eventually,
  partnerClient,
  seedSubscription,
  type WireTransfer,
} from '#test/workflow/support.ts';

const CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
const SOURCE = SANDBOX_TENANTS.contoso;
const TARGET = SANDBOX_TENANTS.fabrikam;
const partnerNamed = (tenantId: string) => SANDBOX_PARTNERS.find((partner) => partner.tenantId === tenantId);
const SOURCE_ADMINS = partnerNamed(SOURCE)?.adminEmails ?? [];
const TARGET_ADMINS = partnerNamed(TARGET)?.adminEmails ?? [];
const CUSTOMER_EMAIL = 'lifecycle-test@woodgrove.example';

interface AuditPage {
  items: { operation: string; transferId: string; partnerTenantId: string; actor: string }[];
}

// The local cloud by default; a deployed stack (AWS or LocalStack) when E2E_API_URL is set (test/support/target.ts).
let cloud: E2eTarget;

beforeAll(async () => {
  cloud = await startE2eTarget();
});

afterAll(async () => {
  await cloud?.stop();
});

const bySubject = (emails: readonly SentEmail[], pattern: RegExp) =>
  emails.filter((email) => pattern.test(email.subject));

describe('transfer lifecycle over HTTP', () => {
  it('create -> creation emails -> line items -> submit -> Complete -> completion emails -> audit for both', async () => {
    const target = partnerClient(cloud, TARGET, 'fabrikam-admin');
    const source = partnerClient(cloud, SOURCE, 'contoso-admin');
    const subscriptions = await Promise.all(
      [0, 1, 2].map((index) => seedSubscription(cloud.storage, CUSTOMER, SOURCE, index)),
    );

    const created = await target('POST', `/v1/customers/${CUSTOMER}/transfers`, {
      sourcePartnerTenantId: SOURCE,
      sourcePartnerName: partnerNamed(SOURCE)?.name,
      customerEmailId: CUSTOMER_EMAIL,
      customerName: SANDBOX_CUSTOMER_RECORDS.find((customer) => customer.customerId === CUSTOMER)?.name,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('Active');
    const transferId = created.body.id;
    const path = `/v1/customers/${CUSTOMER}/transfers/${transferId}`;
    // Emails link to the console's page of the transfer (on a deployed stack: E2E_CONSOLE_URL, the ConsoleUrl output).
    const link = `${cloud.urls.console ?? ''}/transfers/${CUSTOMER}/${transferId}`;

    // Email checks run wherever the target's mail can be read (local cloud, LocalStack); AWS keeps no mailbox.
    const readMail = cloud.sentMail;
    if (readMail) {
      // Creation emails: the source's admin agents and the customer's address from the request, once each.
      const creation = await eventually(async () => {
        const emails = bySubject(await readMail(), /Transfer request|has requested/).filter((email) =>
          email.body.text?.includes(transferId),
        );
        return emails.length >= SOURCE_ADMINS.length + 1 ? emails : undefined;
      });
      expect(creation.flatMap((email) => email.destination.to).sort()).toEqual(
        [...SOURCE_ADMINS, CUSTOMER_EMAIL].sort(),
      );
      for (const email of creation) {
        expect(email.body.text).toContain(link);
        expect(email.body.html).toContain(`href="${link}"`);
        expect(email.body.html).toContain('Fabrikam Direct');
      }
    }

    // The source chooses the line items and submits.
    const patched = await source('PATCH', path, {
      lineItems: subscriptions.map((item) => ({ subscriptionId: item.subscriptionId })),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.lineItems).toHaveLength(3);
    const submitted = await source('POST', `${path}/submit`);
    expect(submitted.status).toBe(202);

    // The workflow moves every line item; the API shows the progress.
    const completed = await eventually(async () => {
      const read = await target('GET', path);
      expect(read.status).toBe(200);
      return read.body.status === 'Complete' ? read.body : undefined;
    }, 50);
    expect(completed.progress).toEqual({ moved: 3, failed: 0, total: 3 });
    expect(completed.notificationErrors).toEqual([]);
    for (const item of completed.lineItems as WireTransfer['lineItems']) {
      expect(item).toMatchObject({ status: 'Complete', attempts: 1 });
      expect(item.completedTime).toBeDefined();
    }
    for (const item of subscriptions) {
      const moved = await cloud.storage.subscriptions.get(CUSTOMER, item.subscriptionId);
      expect(moved?.billingPartnerTenantId).toBe(TARGET);
    }

    if (readMail) {
      // Completion emails: source admins, target admins and the customer, once each.
      const completion = await eventually(async () => {
        const emails = bySubject(await readMail(), /^Transfer complete/).filter((email) =>
          email.body.text?.includes(transferId),
        );
        return emails.length >= SOURCE_ADMINS.length + TARGET_ADMINS.length + 1 ? emails : undefined;
      });
      expect(completion.flatMap((email) => email.destination.to).sort()).toEqual(
        [...SOURCE_ADMINS, ...TARGET_ADMINS, CUSTOMER_EMAIL].sort(),
      );
      const allEmails = await readMail();
      for (const address of [...SOURCE_ADMINS, CUSTOMER_EMAIL]) {
        const mine = emailsTo(allEmails, address).filter((email) => email.body.text?.includes(transferId));
        expect(mine, address).toHaveLength(2);
      }
    }

    // Audit: the target created, the source updated the line items and accepted, both completed.
    const auditOf = async (client: typeof target) => {
      const answer = await client<AuditPage>('GET', `/v1/audit-records?transferId=${transferId}`);
      expect(answer.status).toBe(200);
      return answer.body.items.map((record) => record.operation).sort();
    };
    expect(await auditOf(target)).toEqual(['TransferCompleted', 'TransferCreated']);
    expect(await auditOf(source)).toEqual(['TransferAccepted', 'TransferCompleted', 'TransferUpdated']);
  });
});
