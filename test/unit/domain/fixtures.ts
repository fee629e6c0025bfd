// A small, fixed world for the domain tests: one partner of each kind per side, a customer, its subscriptions.

import type { LineItemLookups } from '#domain/eligibility.ts';
import type {
  Caller,
  Partner,
  PartnerKind,
  ProductType,
  Relationship,
  Role,
  Subscription,
  Transfer,
  TransferLineItem,
} from '#domain/model.ts';
import { buildLineItem, newTransfer } from '#domain/transfer-factory.ts';

export const CUSTOMER_ID = 'cust-1';
export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const DAY_MS = 24 * 60 * 60 * 1000;

export function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

export function partner(tenantId: string, kind: PartnerKind, overrides: Partial<Partner> = {}): Partner {
  return {
    tenantId,
    name: `${tenantId} Ltd`,
    kind,
    partnerId: `mpn-${tenantId}`,
    partnerAgreementSigned: true,
    adminEmails: [`admin@${tenantId}.example`],
    ...overrides,
  };
}

export const SOURCE = partner('source', 'DirectBill');
export const TARGET = partner('target', 'IndirectProvider');
/** A reseller under the target provider: the one valid partner of record besides the target itself. */
export const TARGET_RESELLER = partner('target-reseller', 'IndirectReseller', { providerTenantId: 'target' });
export const OTHER_RESELLER = partner('other-reseller', 'IndirectReseller', {
  providerTenantId: 'elsewhere',
});
export const OUTSIDER = partner('outsider', 'DirectBill');
export const PARTNERS = [SOURCE, TARGET, TARGET_RESELLER, OTHER_RESELLER, OUTSIDER];

export function partnerByTenant(tenantId: string): Partner | undefined {
  return PARTNERS.find((p) => p.tenantId === tenantId);
}

export function partnerById(partnerId: string): Partner | undefined {
  return PARTNERS.find((p) => p.partnerId === partnerId);
}

export function caller(
  tenantId: string,
  roles: Role[] = ['AdminAgent'],
  userId = `${tenantId}-user`,
): Caller {
  return { tenantId, userId, roles };
}

export function relationship(partnerTenantId: string, overrides: Partial<Relationship> = {}): Relationship {
  return {
    customerId: CUSTOMER_ID,
    partnerTenantId,
    status: 'Active',
    customerAgreementSigned: true,
    ...overrides,
  };
}

export function subscription(subscriptionId: string, overrides: Partial<Subscription> = {}): Subscription {
  return {
    subscriptionId,
    customerId: CUSTOMER_ID,
    billingPartnerTenantId: SOURCE.tenantId,
    productType: 'OnlineServicesNCE',
    friendlyName: `Subscription ${subscriptionId}`,
    offerId: `offer-${subscriptionId}`,
    skuId: 'sku-1',
    catalogItemId: `catalog-${subscriptionId}`,
    quantity: 10,
    billingCycle: 'Monthly',
    termDuration: 'P1Y',
    version: 1,
    ...overrides,
  };
}

export function subscriptionOfType(productType: ProductType): Subscription {
  return subscription(`sub-${productType}`, { productType, quantity: 5 });
}

export function lookupsFor(
  subscriptions: readonly Subscription[],
  target: Partner = TARGET,
): LineItemLookups {
  return {
    subscriptionById: (id) => subscriptions.find((s) => s.subscriptionId === id),
    targetPartner: target,
    partnerById,
  };
}

export function activeTransfer(overrides: Partial<Transfer> = {}): Transfer {
  return {
    ...newTransfer({
      id: 'transfer-1',
      customerId: CUSTOMER_ID,
      request: {
        sourcePartnerTenantId: SOURCE.tenantId,
        sourcePartnerName: SOURCE.name,
        customerEmailId: 'it@customer.example',
      },
      caller: caller(TARGET.tenantId),
      sourcePartner: SOURCE,
      targetPartner: TARGET,
      now: T0,
    }),
    ...overrides,
  };
}

export function pendingLineItems(count: number): TransferLineItem[] {
  return Array.from({ length: count }, (_, i) =>
    buildLineItem(String(i), subscription(`sub-${i}`), { quantity: 1 }),
  );
}
