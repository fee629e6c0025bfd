import { describe, expect, it } from 'vitest';
import {
  authorizeCreateTransfer,
  authorizeTransferAction,
  type CallerPartner,
  canReadTransfer,
  type TransferAction,
  transferPartyOf,
} from '#domain/authorization.ts';
import { type Partner, ROLES, type Role } from '#domain/model.ts';
import {
  activeTransfer,
  caller,
  OTHER_RESELLER,
  OUTSIDER,
  pendingLineItems,
  SOURCE,
  TARGET,
  TARGET_RESELLER,
} from './fixtures.ts';

type Party =
  | 'source'
  | 'target'
  | 'partnerOfRecordReseller'
  | 'unrelatedPartner'
  | 'unrelatedReseller'
  | 'notAPartner';
type Outcome = 'ok' | string;

const PARTY_PARTNER: Record<Party, Partner | undefined> = {
  source: SOURCE,
  target: TARGET,
  partnerOfRecordReseller: TARGET_RESELLER,
  unrelatedPartner: OUTSIDER,
  unrelatedReseller: OTHER_RESELLER,
  notAPartner: undefined,
};

function tenantOf(party: Party): string {
  return PARTY_PARTNER[party]?.tenantId ?? 'customer-tenant';
}

// [party, action, outcome for an admin agent, outcome for any other role]
const MATRIX: [Party, TransferAction, Outcome, Outcome][] = [
  ['source', 'read', 'ok', 'ok'],
  ['source', 'updateLineItems', 'ok', 'AdminAgentRequired'],
  ['source', 'submit', 'ok', 'AdminAgentRequired'],
  ['source', 'cancel', 'NotTargetPartner', 'NotTargetPartner'],
  ['target', 'read', 'ok', 'ok'],
  ['target', 'updateLineItems', 'NotSourcePartner', 'NotSourcePartner'],
  ['target', 'submit', 'NotSourcePartner', 'NotSourcePartner'],
  ['target', 'cancel', 'ok', 'AdminAgentRequired'],
  ['partnerOfRecordReseller', 'read', 'ok', 'ok'],
  [
    'partnerOfRecordReseller',
    'updateLineItems',
    'ResellerMustActThroughProvider',
    'ResellerMustActThroughProvider',
  ],
  ['partnerOfRecordReseller', 'submit', 'ResellerMustActThroughProvider', 'ResellerMustActThroughProvider'],
  ['partnerOfRecordReseller', 'cancel', 'ResellerMustActThroughProvider', 'ResellerMustActThroughProvider'],
  ...(['unrelatedPartner', 'unrelatedReseller', 'notAPartner'] as const).flatMap((party) =>
    (['read', 'updateLineItems', 'submit', 'cancel'] as const).map(
      (action): [Party, TransferAction, Outcome, Outcome] => [
        party,
        action,
        'TransferNotFound',
        'TransferNotFound',
      ],
    ),
  ),
];

const CASES = MATRIX.flatMap(([party, action, adminOutcome, otherOutcome]) =>
  ROLES.map((role): [Role, Party, TransferAction, Outcome] => [
    role,
    party,
    action,
    role === 'AdminAgent' ? adminOutcome : otherOutcome,
  ]),
);

describe('authorizeTransferAction: role x party x action', () => {
  const transfer = activeTransfer({ partnerOnRecord: TARGET_RESELLER.partnerId });

  it('covers every role, party and action', () => {
    expect(CASES).toHaveLength(3 * 6 * 4);
  });

  it.each(CASES)('%s of %s, %s -> %s', (role, party, action, outcome) => {
    const result = authorizeTransferAction(
      caller(tenantOf(party), [role]),
      transfer,
      action,
      PARTY_PARTNER[party],
    );
    expect(result.ok ? 'ok' : result.error.code).toBe(outcome);
    if (!result.ok) {
      expect(result.error.status).toBe(outcome === 'TransferNotFound' ? 404 : 403);
    }
  });

  it('any admin role among several is enough', () => {
    const result = authorizeTransferAction(
      caller(SOURCE.tenantId, ['HelpdeskAgent', 'AdminAgent']),
      transfer,
      'submit',
      SOURCE,
    );
    expect(result).toEqual({ ok: true, value: 'source' });
  });

  it('a caller with no role may still read what its tenant sees, but not act', () => {
    expect(authorizeTransferAction(caller(SOURCE.tenantId, []), transfer, 'read', SOURCE).ok).toBe(true);
    const submit = authorizeTransferAction(caller(SOURCE.tenantId, []), transfer, 'submit', SOURCE);
    expect(submit.ok ? 'ok' : submit.error.code).toBe('AdminAgentRequired');
  });
});

describe('transfer visibility', () => {
  it('a reseller named on a line item (not on the transfer) sees it', () => {
    const items = pendingLineItems(2);
    items[1] = { ...items[1]!, partnerIdOnRecord: TARGET_RESELLER.partnerId };
    const transfer = activeTransfer({ lineItems: items });
    expect(transferPartyOf(caller(TARGET_RESELLER.tenantId), transfer, TARGET_RESELLER)).toBe(
      'partnerOfRecord',
    );
  });

  it('a reseller not named anywhere does not see it, even under the target provider', () => {
    const transfer = activeTransfer();
    expect(canReadTransfer(caller(TARGET_RESELLER.tenantId), transfer, TARGET_RESELLER)).toBe(false);
  });

  it('a partner record of another tenant never grants visibility', () => {
    const transfer = activeTransfer({ partnerOnRecord: TARGET_RESELLER.partnerId });
    expect(canReadTransfer(caller(OUTSIDER.tenantId), transfer, TARGET_RESELLER)).toBe(false);
  });

  it('a non-reseller whose partner ID is on record gains nothing', () => {
    const transfer = activeTransfer({ partnerOnRecord: OUTSIDER.partnerId });
    expect(canReadTransfer(caller(OUTSIDER.tenantId), transfer, OUTSIDER)).toBe(false);
  });

  it('source and target see it without a partner record', () => {
    const transfer = activeTransfer();
    expect(transferPartyOf(caller(SOURCE.tenantId, ['SalesAgent']), transfer)).toBe('source');
    expect(transferPartyOf(caller(TARGET.tenantId, ['HelpdeskAgent']), transfer)).toBe('target');
  });
});

describe('authorizeCreateTransfer', () => {
  const cases: [string, Role[], CallerPartner, string | undefined, Outcome][] = [
    ['admin of a direct-bill partner', ['AdminAgent'], SOURCE, undefined, 'ok'],
    ['admin of a provider naming itself as target', ['AdminAgent'], TARGET, TARGET.tenantId, 'ok'],
    ['admin naming another tenant as target', ['AdminAgent'], TARGET, SOURCE.tenantId, 'NotTargetPartner'],
    ['sales agent', ['SalesAgent'], TARGET, undefined, 'AdminAgentRequired'],
    ['helpdesk agent', ['HelpdeskAgent'], TARGET, undefined, 'AdminAgentRequired'],
    ['reseller admin', ['AdminAgent'], TARGET_RESELLER, undefined, 'ResellerMustActThroughProvider'],
    ['reseller sales agent', ['SalesAgent'], TARGET_RESELLER, undefined, 'ResellerMustActThroughProvider'],
    ['tenant that is not a partner', ['AdminAgent'], undefined, undefined, 'CallerNotAPartner'],
  ];

  it.each(cases)('%s -> %s', (_name, roles, callerPartner, requestedTarget, outcome) => {
    const tenantId = callerPartner?.tenantId ?? 'customer-tenant';
    const result = authorizeCreateTransfer(caller(tenantId, roles), callerPartner, requestedTarget);
    expect(result.ok ? 'ok' : result.error.code).toBe(outcome);
  });

  it('refuses a partner record that belongs to another tenant', () => {
    const result = authorizeCreateTransfer(caller(OUTSIDER.tenantId), TARGET);
    expect(result.ok ? 'ok' : result.error.code).toBe('CallerNotAPartner');
  });
});
