// The campaign's own customers, added to the sandbox through the same storage adapter `npm start` seeds with: each
// has active relationships (agreements signed) with two DirectBill partners, so transfers can go both ways, three
// transferable subscriptions and one that is not (refused per item). Several transfers share each customer, so
// claims race.
import type { Storage } from '#application/ports.ts';
import type { Subscription } from '#domain/model.ts';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';

export const CHAOS_PARTNERS = { first: SANDBOX_TENANTS.contoso, second: SANDBOX_TENANTS.fabrikam } as const;

const chaosGuid = (group: string, n: number) => `${group}-0000-4000-8000-${n.toString().padStart(12, '0')}`;

export interface ChaosCustomer {
  customerId: string;
  contactEmail: string;
  subscriptionIds: string[];
  nonTransferableId: string;
}

export function chaosCustomers(count: number): ChaosCustomer[] {
  return Array.from({ length: count }, (_, index) => ({
    customerId: chaosGuid('cc000000', index + 1),
    contactEmail: `it@chaos-customer-${index + 1}.example`,
    subscriptionIds: [1, 2, 3].map((n) => chaosGuid('dd000000', index * 10 + n)),
    nonTransferableId: chaosGuid('dd000000', index * 10 + 4),
  }));
}

const TRANSFERABLE = ['OnlineServicesNCE', 'AzureSubscription', 'AzureReservation'] as const;

function subscriptionOf(customer: ChaosCustomer, subscriptionId: string, index: number): Subscription {
  const productType = index < TRANSFERABLE.length ? TRANSFERABLE[index] : 'SoftwareSubscription';
  return {
    subscriptionId,
    customerId: customer.customerId,
    billingPartnerTenantId: CHAOS_PARTNERS.first,
    productType: productType ?? 'SoftwareSubscription',
    friendlyName: `chaos ${productType}`,
    offerId: 'CHAOS0000001',
    skuId: '0001',
    catalogItemId: 'CHAOS0000001:0001',
    quantity: 5,
    billingCycle: 'Monthly',
    termDuration: 'P1M',
    version: 1,
  };
}

/** Insert-if-absent, like the sandbox seed: a restart of the campaign on its data folder keeps every change. */
export async function seedChaosCustomers(
  storage: Storage,
  customers: readonly ChaosCustomer[],
): Promise<void> {
  for (const customer of customers) {
    await storage.directory.putCustomer({
      customerId: customer.customerId,
      name: `Chaos customer ${customer.customerId.slice(-4)}`,
      contactEmail: customer.contactEmail,
    });
    for (const partnerTenantId of Object.values(CHAOS_PARTNERS))
      await storage.directory.putRelationship({
        customerId: customer.customerId,
        partnerTenantId,
        status: 'Active',
        customerAgreementSigned: true,
      });
    const ids = [...customer.subscriptionIds, customer.nonTransferableId];
    await Promise.all(ids.map((id, index) => storage.subscriptions.put(subscriptionOf(customer, id, index))));
  }
}
