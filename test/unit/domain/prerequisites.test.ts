import { describe, expect, it } from 'vitest';
import {
  type CreationFacts,
  checkCreationPrerequisites,
  sourceBillsCustomer,
} from '#domain/prerequisites.ts';
import {
  CUSTOMER_ID,
  OTHER_RESELLER,
  OUTSIDER,
  partner,
  partnerById,
  relationship,
  SOURCE,
  subscription,
  TARGET,
  TARGET_RESELLER,
} from './fixtures.ts';

function validFacts(): CreationFacts {
  return {
    customerId: CUSTOMER_ID,
    request: {
      sourcePartnerTenantId: SOURCE.tenantId,
      sourcePartnerName: SOURCE.name,
      customerEmailId: 'it@customer.example',
    },
    targetPartner: TARGET,
    sourcePartner: SOURCE,
    targetRelationship: relationship(TARGET.tenantId),
    sourceRelationship: relationship(SOURCE.tenantId),
    customerSubscriptions: [subscription('s1')],
    partnerById,
  };
}

type Change = (facts: CreationFacts) => CreationFacts;

// Each case breaks exactly one prerequisite of otherwise valid facts.
const FAILURES: [string, Change, string][] = [
  [
    'no source tenant named',
    (f) => ({ ...f, request: { ...f.request, sourcePartnerTenantId: '' } }),
    'SourcePartnerTenantIdRequired',
  ],
  [
    'blank source tenant',
    (f) => ({ ...f, request: { ...f.request, sourcePartnerTenantId: '  ' } }),
    'SourcePartnerTenantIdRequired',
  ],
  [
    'source is the target',
    (f) => ({
      ...f,
      request: { ...f.request, sourcePartnerTenantId: TARGET.tenantId },
      sourcePartner: TARGET,
    }),
    'SourceEqualsTarget',
  ],
  ['source tenant is not a partner', (f) => ({ ...f, sourcePartner: undefined }), 'SourcePartnerNotFound'],
  ['source record of another tenant', (f) => ({ ...f, sourcePartner: OUTSIDER }), 'SourcePartnerNotFound'],
  [
    'legacy transfer type',
    (f) => ({ ...f, request: { ...f.request, transferType: 1 } }),
    'UnsupportedTransferType',
  ],
  [
    'reseller named as source',
    (f) => ({
      ...f,
      request: { ...f.request, sourcePartnerTenantId: OTHER_RESELLER.tenantId },
      sourcePartner: OTHER_RESELLER,
      sourceRelationship: relationship(OTHER_RESELLER.tenantId),
      customerSubscriptions: [subscription('s1', { billingPartnerTenantId: OTHER_RESELLER.tenantId })],
    }),
    'UnsupportedTransferPath',
  ],
  [
    'reseller as target',
    (f) => ({
      ...f,
      targetPartner: TARGET_RESELLER,
      targetRelationship: relationship(TARGET_RESELLER.tenantId),
    }),
    'ResellerMustActThroughProvider',
  ],
  [
    'target has not signed the partner agreement',
    (f) => ({ ...f, targetPartner: { ...TARGET, partnerAgreementSigned: false } }),
    'PartnerAgreementNotSigned',
  ],
  ['no relationship with target', (f) => ({ ...f, targetRelationship: undefined }), 'NoCustomerRelationship'],
  [
    'relationship with target pending',
    (f) => ({ ...f, targetRelationship: relationship(TARGET.tenantId, { status: 'Pending' }) }),
    'NoCustomerRelationship',
  ],
  [
    'relationship with target terminated',
    (f) => ({ ...f, targetRelationship: relationship(TARGET.tenantId, { status: 'Terminated' }) }),
    'NoCustomerRelationship',
  ],
  [
    'relationship given belongs to another partner',
    (f) => ({ ...f, targetRelationship: relationship(OUTSIDER.tenantId) }),
    'NoCustomerRelationship',
  ],
  [
    'relationship given belongs to another customer',
    (f) => ({ ...f, targetRelationship: relationship(TARGET.tenantId, { customerId: 'cust-2' }) }),
    'NoCustomerRelationship',
  ],
  [
    'customer agreement with target not signed',
    (f) => ({ ...f, targetRelationship: relationship(TARGET.tenantId, { customerAgreementSigned: false }) }),
    'CustomerAgreementNotSigned',
  ],
  [
    'source has no relationship',
    (f) => ({ ...f, sourceRelationship: undefined }),
    'SourcePartnerDoesNotBillCustomer',
  ],
  [
    'source relationship terminated',
    (f) => ({ ...f, sourceRelationship: relationship(SOURCE.tenantId, { status: 'Terminated' }) }),
    'SourcePartnerDoesNotBillCustomer',
  ],
  [
    'source bills none of the customer subscriptions',
    (f) => ({
      ...f,
      customerSubscriptions: [subscription('s1', { billingPartnerTenantId: OUTSIDER.tenantId })],
    }),
    'SourcePartnerDoesNotBillCustomer',
  ],
  [
    'customer has no subscriptions',
    (f) => ({ ...f, customerSubscriptions: [] }),
    'SourcePartnerDoesNotBillCustomer',
  ],
  [
    "source bills only another customer's subscription",
    (f) => ({ ...f, customerSubscriptions: [subscription('s1', { customerId: 'cust-2' })] }),
    'SourcePartnerDoesNotBillCustomer',
  ],
  [
    'partner of record is a reseller of another provider',
    (f) => ({ ...f, request: { ...f.request, partnerOnRecord: OTHER_RESELLER.partnerId } }),
    'PartnerOfRecordInvalid',
  ],
];

describe('creation prerequisites', () => {
  it('valid facts pass and return both partners', () => {
    expect(checkCreationPrerequisites(validFacts())).toEqual({
      ok: true,
      value: { sourcePartner: SOURCE, targetPartner: TARGET },
    });
  });

  it.each(FAILURES)('%s -> %s', (_name, change, code) => {
    const result = checkCreationPrerequisites(change(validFacts()));
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
  });

  const PASSING: [string, Change][] = [
    ['transferType 3', (f) => ({ ...f, request: { ...f.request, transferType: 3 } })],
    [
      'a reseller under the target as partner of record',
      (f) => ({ ...f, request: { ...f.request, partnerOnRecord: TARGET_RESELLER.partnerId } }),
    ],
    [
      'provider to direct bill',
      (f) => {
        const provider = partner('provider-source', 'IndirectProvider');
        return {
          ...f,
          request: { ...f.request, sourcePartnerTenantId: provider.tenantId },
          sourcePartner: provider,
          targetPartner: SOURCE,
          targetRelationship: relationship(SOURCE.tenantId),
          sourceRelationship: relationship(provider.tenantId),
          customerSubscriptions: [subscription('s1', { billingPartnerTenantId: provider.tenantId })],
        };
      },
    ],
    ['null targetProductTypes', (f) => ({ ...f, request: { ...f.request, targetProductTypes: null } })],
  ];

  it.each(PASSING)('passes with %s', (_name, change) => {
    expect(checkCreationPrerequisites(change(validFacts())).ok).toBe(true);
  });
});

describe('sourceBillsCustomer', () => {
  it('needs the relationship to be the source’s own, for this customer', () => {
    const subs = [subscription('s1')];
    expect(sourceBillsCustomer(SOURCE.tenantId, CUSTOMER_ID, relationship(SOURCE.tenantId), subs)).toBe(true);
    expect(sourceBillsCustomer(SOURCE.tenantId, CUSTOMER_ID, relationship(OUTSIDER.tenantId), subs)).toBe(
      false,
    );
    expect(
      sourceBillsCustomer(
        SOURCE.tenantId,
        CUSTOMER_ID,
        relationship(SOURCE.tenantId, { customerId: 'x' }),
        subs,
      ),
    ).toBe(false);
  });
});
