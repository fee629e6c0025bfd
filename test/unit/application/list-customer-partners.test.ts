// The customer's other partners: only for a partner that serves the customer itself, the caller left out, every other
// partner listed exactly once across pages, with its name, kind and relationship status.
import { describe, expect, it } from 'vitest';
import { listCustomerPartners } from '#application/list-customer-partners.ts';
import type { Page } from '#application/ports.ts';
import {
  CUSTOMER_ID,
  OTHER_RESELLER,
  OUTSIDER,
  relationship,
  SOURCE,
  TARGET,
  TARGET_RESELLER,
} from '#test/unit/domain/fixtures.ts';
import { inMemoryStorage } from './in-memory-storage.ts';

const storage = () =>
  inMemoryStorage({
    partners: [SOURCE, TARGET, TARGET_RESELLER, OTHER_RESELLER, OUTSIDER],
    relationships: [
      relationship(SOURCE.tenantId),
      relationship(TARGET.tenantId),
      relationship(TARGET_RESELLER.tenantId, { status: 'Pending', customerAgreementSigned: false }),
      relationship(OTHER_RESELLER.tenantId, { status: 'Terminated' }),
      // A tenant that is not a partner (any more) names nobody who could be a source.
      relationship('not-a-partner'),
      relationship(OUTSIDER.tenantId, { customerId: 'another-customer' }),
    ],
  });

const namesOf = (page: Page<{ partner: { name: string } }>) => page.items.map((item) => item.partner.name);

describe('listCustomerPartners', () => {
  it('lists the other partners of the customer with their relationship, the caller left out', async () => {
    const page = await listCustomerPartners(storage().directory, {
      callerTenantId: TARGET.tenantId,
      customerId: CUSTOMER_ID,
      limit: 25,
    });
    expect(page.continuationToken).toBeUndefined();
    expect(
      page.items.map(({ partner, relationship }) => [partner.tenantId, partner.kind, relationship.status]),
    ).toEqual([
      [OTHER_RESELLER.tenantId, 'IndirectReseller', 'Terminated'],
      [SOURCE.tenantId, 'DirectBill', 'Active'],
      [TARGET_RESELLER.tenantId, 'IndirectReseller', 'Pending'],
    ]);
  });

  it('pages of `limit` other partners list each exactly once, even when the caller falls inside a page', async () => {
    const directory = storage().directory;
    const all = await listCustomerPartners(directory, {
      callerTenantId: SOURCE.tenantId,
      customerId: CUSTOMER_ID,
      limit: 25,
    });
    const seen: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await listCustomerPartners(directory, {
        callerTenantId: SOURCE.tenantId,
        customerId: CUSTOMER_ID,
        limit: 1,
        continuationToken,
      });
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...namesOf(page));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    expect(seen).toEqual(namesOf(all));
    expect(seen).not.toContain(SOURCE.name);
    expect(seen).toHaveLength(3);
  });

  it('answers CustomerNotFound (404) to a partner without a relationship, before reading the listing', async () => {
    const directory = storage().directory;
    let listed = false;
    const watched = {
      ...directory,
      listRelationshipsOfCustomer: (...args: Parameters<typeof directory.listRelationshipsOfCustomer>) => {
        listed = true;
        return directory.listRelationshipsOfCustomer(...args);
      },
    };
    for (const customerId of [CUSTOMER_ID, 'unknown-customer']) {
      await expect(
        listCustomerPartners(watched, { callerTenantId: OUTSIDER.tenantId, customerId, limit: 25 }),
      ).rejects.toMatchObject({ code: 'CustomerNotFound', status: 404 });
    }
    expect(listed).toBe(false);
  });
});
