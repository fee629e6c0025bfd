import { describe, expect, it } from 'vitest';
import { PARTNER_KINDS, type PartnerKind } from '#domain/model.ts';
import { checkPartnerOfRecord, checkTransferPath, isSupportedTransferPath } from '#domain/partner-paths.ts';
import { OTHER_RESELLER, partner, partnerById, SOURCE, TARGET, TARGET_RESELLER } from './fixtures.ts';

type PathOutcome = 'ok' | 'UnsupportedTransferPath' | 'ResellerMustActThroughProvider';

const PATHS: [PartnerKind, PartnerKind, PathOutcome][] = [
  ['DirectBill', 'DirectBill', 'ok'],
  ['DirectBill', 'IndirectProvider', 'ok'],
  ['DirectBill', 'IndirectReseller', 'ResellerMustActThroughProvider'],
  ['IndirectProvider', 'DirectBill', 'ok'],
  ['IndirectProvider', 'IndirectProvider', 'ok'],
  ['IndirectProvider', 'IndirectReseller', 'ResellerMustActThroughProvider'],
  ['IndirectReseller', 'DirectBill', 'UnsupportedTransferPath'],
  ['IndirectReseller', 'IndirectProvider', 'UnsupportedTransferPath'],
  ['IndirectReseller', 'IndirectReseller', 'ResellerMustActThroughProvider'],
];

describe('transfer paths', () => {
  it('covers every pair of partner kinds', () => {
    expect(PATHS).toHaveLength(PARTNER_KINDS.length ** 2);
  });

  it.each(PATHS)('%s -> %s: %s', (source, target, outcome) => {
    const result = checkTransferPath(source, target);
    expect(result.ok ? 'ok' : result.error.code).toBe(outcome);
    expect(isSupportedTransferPath(source, target)).toBe(outcome === 'ok');
  });

  it('tells a reseller named as source to name its provider', () => {
    const result = checkTransferPath('IndirectReseller', 'DirectBill');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.description).toMatch(/indirect provider/);
  });
});

describe('partner of record', () => {
  const directTarget = partner('direct-target', 'DirectBill');
  const cases: [string, string | undefined, typeof TARGET, 'ok' | 'PartnerOfRecordInvalid'][] = [
    ['absent', undefined, TARGET, 'ok'],
    ['the provider target itself', TARGET.partnerId, TARGET, 'ok'],
    ['the direct-bill target itself', directTarget.partnerId, directTarget, 'ok'],
    ['a reseller under the target provider', TARGET_RESELLER.partnerId, TARGET, 'ok'],
    ['a reseller under another provider', OTHER_RESELLER.partnerId, TARGET, 'PartnerOfRecordInvalid'],
    [
      'a reseller when the target is direct bill',
      TARGET_RESELLER.partnerId,
      directTarget,
      'PartnerOfRecordInvalid',
    ],
    ['a partner that is not a reseller', SOURCE.partnerId, TARGET, 'PartnerOfRecordInvalid'],
    ['an unknown partner ID', 'mpn-nobody', TARGET, 'PartnerOfRecordInvalid'],
  ];

  it.each(cases)('%s', (_name, partnerIdOnRecord, target, outcome) => {
    const result = checkPartnerOfRecord(partnerIdOnRecord, target, partnerById);
    expect(result.ok ? 'ok' : result.error.code).toBe(outcome);
  });
});
