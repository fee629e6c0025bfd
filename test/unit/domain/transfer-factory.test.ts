import { describe, expect, it } from 'vitest';
import { evaluateLineItems } from '#domain/eligibility.ts';
import { buildLineItem, lineItemsFromVerdicts, newTransfer } from '#domain/transfer-factory.ts';
import {
  activeTransfer,
  CUSTOMER_ID,
  caller,
  lookupsFor,
  SOURCE,
  subscription,
  T0,
  TARGET,
} from './fixtures.ts';

describe('newTransfer', () => {
  const input = {
    id: 'tr-1',
    customerId: CUSTOMER_ID,
    request: {
      sourcePartnerTenantId: SOURCE.tenantId,
      sourcePartnerName: 'Typed By Target Inc',
      customerEmailId: 'it@customer.example',
      customerName: 'Contoso',
      targetPartnerEmailId: 'ops@target.example',
      targetProductTypes: [
        'AzureSubscription' as const,
        'AzureSubscription' as const,
        'OnlineServicesNCE' as const,
      ],
      partnerOnRecord: 'mpn-x',
    },
    caller: caller(TARGET.tenantId, ['AdminAgent'], 'alice'),
    sourcePartner: SOURCE,
    targetPartner: TARGET,
    now: T0,
  };

  it('builds an Active new-commerce transfer with server-set fields', () => {
    expect(newTransfer(input)).toEqual({
      id: 'tr-1',
      customerTenantId: CUSTOMER_ID,
      customerName: 'Contoso',
      customerEmailId: 'it@customer.example',
      sourcePartnerTenantId: SOURCE.tenantId,
      sourcePartnerName: SOURCE.name,
      targetPartnerTenantId: TARGET.tenantId,
      targetPartnerName: TARGET.name,
      targetPartnerEmailId: 'ops@target.example',
      targetProductTypes: ['AzureSubscription', 'OnlineServicesNCE'],
      partnerOnRecord: 'mpn-x',
      transferType: 3,
      status: 'Active',
      createdTime: '2026-01-01T00:00:00.000Z',
      lastModifiedTime: '2026-01-01T00:00:00.000Z',
      lastModifiedUser: 'alice',
      expirationTime: '2026-01-31T00:00:00.000Z',
      lineItems: [],
      version: 1,
    });
  });

  it('uses the configured acceptance window', () => {
    expect(newTransfer({ ...input, acceptanceWindowDays: 7 }).expirationTime).toBe(
      '2026-01-08T00:00:00.000Z',
    );
  });

  it('leaves optional fields out rather than undefined, and treats empty or null product types as all', () => {
    const minimal = newTransfer({
      ...input,
      request: {
        sourcePartnerTenantId: SOURCE.tenantId,
        sourcePartnerName: 'x',
        customerEmailId: 'c@x',
        targetProductTypes: null,
      },
    });
    for (const key of ['customerName', 'targetPartnerEmailId', 'targetProductTypes', 'partnerOnRecord']) {
      expect(Object.hasOwn(minimal, key)).toBe(false);
    }
    const empty = newTransfer({ ...input, request: { ...input.request, targetProductTypes: [] } });
    expect(Object.hasOwn(empty, 'targetProductTypes')).toBe(false);
  });
});

describe('line items', () => {
  it('copies the subscription’s catalogue facts into a Pending item', () => {
    const sub = subscription('s1', { billingCycle: 'Annual', partnerIdOnRecord: 'mpn-old-reseller' });
    expect(buildLineItem('0', sub, { quantity: 3 })).toEqual({
      id: '0',
      subscriptionId: 's1',
      quantity: 3,
      billingCycle: 'Annual',
      friendlyName: 'Subscription s1',
      offerId: 'offer-s1',
      skuId: 'sku-1',
      catalogItemId: 'catalog-s1',
      termDuration: 'P1Y',
      productType: 'OnlineServicesNCE',
      status: 'Pending',
      attempts: 0,
    });
  });

  it('numbers only the eligible verdicts, in request order', () => {
    const subs = [
      subscription('a'),
      subscription('b', { productType: 'PerpetualSoftware' }),
      subscription('c'),
    ];
    const verdicts = evaluateLineItems(
      activeTransfer(),
      [{ subscriptionId: 'a', quantity: 2 }, { subscriptionId: 'b' }, { subscriptionId: 'c' }],
      lookupsFor(subs),
    );
    expect(lineItemsFromVerdicts(verdicts).map((i) => [i.id, i.subscriptionId, i.quantity])).toEqual([
      ['0', 'a', 2],
      ['1', 'c', 10],
    ]);
  });
});
