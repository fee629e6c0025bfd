import { describe, expect, it } from 'vitest';
import {
  evaluateLineItems,
  type LineItemVerdict,
  refusedLineItemDetails,
  subscriptionTransferEligibility,
} from '#domain/eligibility.ts';
import {
  type LineItemRequest,
  NON_TRANSFERABLE_PRODUCT_TYPES,
  type ProductType,
  type Subscription,
  TRANSFERABLE_PRODUCT_TYPES,
  type Transfer,
} from '#domain/model.ts';
import {
  isRequestedProductType,
  isTransferableProductType,
  NON_TRANSFERABLE_REASONS,
  nonTransferableReason,
} from '#domain/product-types.ts';
import {
  activeTransfer,
  CUSTOMER_ID,
  lookupsFor,
  OTHER_RESELLER,
  OUTSIDER,
  partner,
  SOURCE,
  subscription,
  subscriptionOfType,
  TARGET,
  TARGET_RESELLER,
} from './fixtures.ts';

function codeOf(verdict: LineItemVerdict | undefined): string {
  if (!verdict) return 'missing';
  return verdict.eligible ? 'eligible' : verdict.code;
}

function judgeOne(
  sub: Subscription,
  request: Partial<LineItemRequest> = {},
  transfer: Transfer = activeTransfer(),
): LineItemVerdict | undefined {
  return evaluateLineItems(
    transfer,
    [{ subscriptionId: sub.subscriptionId, ...request }],
    lookupsFor([sub]),
  )[0];
}

const PRODUCT_TYPES: [ProductType, 'eligible' | 'ProductTypeNotTransferable', RegExp | undefined][] = [
  ['AzureSubscription', 'eligible', undefined],
  ['AzureReservation', 'eligible', undefined],
  ['AzureSavingsPlan', 'eligible', undefined],
  ['OnlineServicesNCE', 'eligible', undefined],
  ['SoftwareSubscription', 'ProductTypeNotTransferable', /buys them again/],
  ['PerpetualSoftware', 'ProductTypeNotTransferable', /one-time purchase/],
  ['ThirdPartyMarketplace', 'ProductTypeNotTransferable', /publisher/],
];

describe('product types', () => {
  it('covers every product type of the model', () => {
    expect(PRODUCT_TYPES.map(([t]) => t).sort()).toEqual(
      [...TRANSFERABLE_PRODUCT_TYPES, ...NON_TRANSFERABLE_PRODUCT_TYPES].sort(),
    );
  });

  it.each(PRODUCT_TYPES)('%s as a line item -> %s', (productType, outcome, reason) => {
    const verdict = judgeOne(subscriptionOfType(productType));
    expect(codeOf(verdict)).toBe(outcome);
    expect(isTransferableProductType(productType)).toBe(outcome === 'eligible');
    if (reason) {
      expect(verdict?.eligible === false && verdict.description).toMatch(reason);
      expect(nonTransferableReason(productType)).toMatch(reason);
    } else {
      expect(nonTransferableReason(productType)).toBeUndefined();
    }
  });

  it('every non-transferable type has its own reason', () => {
    const reasons = Object.values(NON_TRANSFERABLE_REASONS);
    expect(new Set(reasons).size).toBe(NON_TRANSFERABLE_PRODUCT_TYPES.length);
  });

  it.each([
    [undefined, true],
    [null, true],
    [[], true],
    [['OnlineServicesNCE'], true],
    [['AzureSubscription', 'AzureReservation'], false],
  ] as const)('requested types %j admit license-based: %s', (types, admitted) => {
    expect(isRequestedProductType('OnlineServicesNCE', types)).toBe(admitted);
  });
});

describe('line item verdicts', () => {
  const azureOnly = activeTransfer({ targetProductTypes: ['AzureSubscription', 'AzureSavingsPlan'] });
  const cases: [string, Subscription, Partial<LineItemRequest>, Transfer, string][] = [
    ['an eligible subscription', subscription('s1'), {}, activeTransfer(), 'eligible'],
    ['a requested type', subscriptionOfType('AzureSavingsPlan'), {}, azureOnly, 'eligible'],
    ['a type outside targetProductTypes', subscription('s1'), {}, azureOnly, 'ProductTypeNotRequested'],
    [
      'billed by another partner',
      subscription('s1', { billingPartnerTenantId: OUTSIDER.tenantId }),
      {},
      activeTransfer(),
      'SubscriptionNotBilledBySource',
    ],
    [
      'already moved to the target',
      subscription('s1', { billingPartnerTenantId: TARGET.tenantId }),
      {},
      activeTransfer(),
      'SubscriptionNotBilledBySource',
    ],
    [
      "another customer's subscription",
      subscription('s1', { customerId: 'cust-2' }),
      {},
      activeTransfer(),
      'SubscriptionNotFound',
    ],
    [
      'in another open transfer',
      subscription('s1', { openTransferId: 'transfer-9' }),
      {},
      activeTransfer(),
      'SubscriptionInOpenTransfer',
    ],
    [
      'claimed by this transfer already',
      subscription('s1', { openTransferId: 'transfer-1' }),
      {},
      activeTransfer(),
      'eligible',
    ],
    ['quantity 0', subscription('s1'), { quantity: 0 }, activeTransfer(), 'InvalidQuantity'],
    ['negative quantity', subscription('s1'), { quantity: -2 }, activeTransfer(), 'InvalidQuantity'],
    ['fractional quantity', subscription('s1'), { quantity: 1.5 }, activeTransfer(), 'InvalidQuantity'],
    ['quantity 1', subscription('s1'), { quantity: 1 }, activeTransfer(), 'eligible'],
    ['the whole quantity', subscription('s1'), { quantity: 10 }, activeTransfer(), 'eligible'],
    [
      'more than the subscription has',
      subscription('s1'),
      { quantity: 11 },
      activeTransfer(),
      'QuantityExceedsSubscription',
    ],
    [
      'a reseller under the target on record',
      subscription('s1'),
      { partnerIdOnRecord: TARGET_RESELLER.partnerId },
      activeTransfer(),
      'eligible',
    ],
    [
      'a reseller of another provider on record',
      subscription('s1'),
      { partnerIdOnRecord: OTHER_RESELLER.partnerId },
      activeTransfer(),
      'PartnerOfRecordInvalid',
    ],
  ];

  it.each(cases)('%s -> %s', (_name, sub, request, transfer, outcome) => {
    expect(codeOf(judgeOne(sub, request, transfer))).toBe(outcome);
  });

  it('an unknown subscription is not found', () => {
    const verdicts = evaluateLineItems(activeTransfer(), [{ subscriptionId: 'ghost' }], lookupsFor([]));
    expect(codeOf(verdicts[0])).toBe('SubscriptionNotFound');
  });

  it('the same subscription twice: the second is a duplicate', () => {
    const sub = subscription('s1');
    const verdicts = evaluateLineItems(
      activeTransfer(),
      [{ subscriptionId: 's1' }, { subscriptionId: 's1', quantity: 1 }],
      lookupsFor([sub]),
    );
    expect(verdicts.map(codeOf)).toEqual(['eligible', 'DuplicateLineItem']);
  });

  it('defaults the quantity to the whole subscription and inherits the transfer partner of record', () => {
    const verdict = judgeOne(
      subscription('s1'),
      {},
      activeTransfer({ partnerOnRecord: TARGET_RESELLER.partnerId }),
    );
    expect(verdict).toMatchObject({
      eligible: true,
      quantity: 10,
      partnerIdOnRecord: TARGET_RESELLER.partnerId,
    });
  });

  it('an item’s own partner of record overrides the transfer’s', () => {
    const verdict = judgeOne(
      subscription('s1'),
      { partnerIdOnRecord: TARGET.partnerId },
      activeTransfer({ partnerOnRecord: TARGET_RESELLER.partnerId }),
    );
    expect(verdict).toMatchObject({ eligible: true, partnerIdOnRecord: TARGET.partnerId });
  });

  it('a reseller on record is refused when the target bills directly', () => {
    const directTarget = partner('direct-target', 'DirectBill');
    const transfer = activeTransfer({ targetPartnerTenantId: directTarget.tenantId });
    const sub = subscription('s1');
    const verdicts = evaluateLineItems(
      transfer,
      [{ subscriptionId: 's1', partnerIdOnRecord: TARGET_RESELLER.partnerId }],
      lookupsFor([sub], directTarget),
    );
    expect(codeOf(verdicts[0])).toBe('PartnerOfRecordInvalid');
  });

  it('reports every refused item, in request order, with its subscription', () => {
    const subs = [
      subscription('a'),
      subscriptionOfType('PerpetualSoftware'),
      subscription('c', { quantity: 1 }),
    ];
    const verdicts = evaluateLineItems(
      activeTransfer(),
      [
        { subscriptionId: 'a' },
        { subscriptionId: 'sub-PerpetualSoftware' },
        { subscriptionId: 'c', quantity: 2 },
      ],
      lookupsFor(subs),
    );
    expect(verdicts.map(codeOf)).toEqual([
      'eligible',
      'ProductTypeNotTransferable',
      'QuantityExceedsSubscription',
    ]);
    expect(refusedLineItemDetails(verdicts)).toEqual([
      {
        code: 'ProductTypeNotTransferable',
        description: expect.stringMatching(/one-time/),
        target: 'sub-PerpetualSoftware',
      },
      { code: 'QuantityExceedsSubscription', description: expect.stringMatching(/2.*1/), target: 'c' },
    ]);
  });
});

describe('transfer eligibility endpoint', () => {
  const base = { callerTenantId: SOURCE.tenantId, customerId: CUSTOMER_ID };

  const cases: [
    string,
    Subscription | undefined,
    Partial<typeof base> & { targetProductTypes?: Transfer['targetProductTypes'] },
    string,
  ][] = [
    ['a license-based subscription the caller bills', subscription('s1'), {}, 'eligible'],
    ...PRODUCT_TYPES.map(([type, outcome]): [string, Subscription, object, string] => [
      `product type ${type}`,
      { ...subscriptionOfType(type), subscriptionId: 's1' },
      {},
      outcome,
    ]),
    ['no such subscription', undefined, {}, 'SubscriptionNotFound'],
    [
      'billed by someone else (never revealed)',
      subscription('s1', { billingPartnerTenantId: OUTSIDER.tenantId }),
      {},
      'SubscriptionNotFound',
    ],
    [
      'asked by a partner that does not bill it',
      subscription('s1'),
      { callerTenantId: TARGET.tenantId },
      'SubscriptionNotFound',
    ],
    ['of another customer', subscription('s1'), { customerId: 'cust-2' }, 'SubscriptionNotFound'],
    [
      'in an open transfer',
      subscription('s1', { openTransferId: 'transfer-1' }),
      {},
      'SubscriptionInOpenTransfer',
    ],
    [
      'outside the asked product types',
      subscription('s1'),
      { targetProductTypes: ['AzureReservation'] },
      'ProductTypeNotRequested',
    ],
  ];

  it.each(cases)('%s -> %s', (_name, sub, overrides, outcome) => {
    const result = subscriptionTransferEligibility({
      ...base,
      subscriptionId: 's1',
      subscription: sub,
      ...overrides,
    });
    expect(result.subscriptionId).toBe('s1');
    expect(result.eligible ? 'eligible' : result.code).toBe(outcome);
    if (!result.eligible) expect(result.description.length).toBeGreaterThan(10);
  });

  it('never answers for a different subscription than asked', () => {
    const result = subscriptionTransferEligibility({
      ...base,
      subscriptionId: 's2',
      subscription: subscription('s1'),
    });
    expect(result).toMatchObject({ subscriptionId: 's2', eligible: false, code: 'SubscriptionNotFound' });
  });
});
