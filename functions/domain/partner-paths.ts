// Which partner kinds may hand billing to which, and who may be recorded as partner of record.

import { fail, ok, type Result } from './errors.ts';
import type { Partner, PartnerKind } from './model.ts';

/** Kinds that own billing; an indirect reseller never does (its indirect provider bills and acts for it). */
export type BillingPartnerKind = Exclude<PartnerKind, 'IndirectReseller'>;

export const SUPPORTED_TRANSFER_PATHS: readonly (readonly [
  source: BillingPartnerKind,
  target: BillingPartnerKind,
])[] = [
  ['DirectBill', 'DirectBill'],
  ['DirectBill', 'IndirectProvider'],
  ['IndirectProvider', 'IndirectProvider'],
  ['IndirectProvider', 'DirectBill'],
];

export function isSupportedTransferPath(source: PartnerKind, target: PartnerKind): boolean {
  return SUPPORTED_TRANSFER_PATHS.some(([s, t]) => s === source && t === target);
}

/**
 * A reseller as target is a caller problem (its provider must create the transfer: 403); a reseller named as
 * source is a request problem (the provider bills, so the request must name the provider: 422).
 */
export function checkTransferPath(source: PartnerKind, target: PartnerKind): Result<void> {
  if (target === 'IndirectReseller') {
    return fail(
      'ResellerMustActThroughProvider',
      'An indirect reseller cannot receive a transfer: its indirect provider must create it.',
    );
  }
  if (source === 'IndirectReseller') {
    return fail(
      'UnsupportedTransferPath',
      'An indirect reseller never bills its customers: name its indirect provider as the source partner.',
    );
  }
  if (!isSupportedTransferPath(source, target)) {
    return fail(
      'UnsupportedTransferPath',
      `Transfers from ${source} to ${target} partners are not supported.`,
    );
  }
  return ok(undefined);
}

/**
 * Partner of record on a transfer or its line items: absent, the target's own partner ID, or (only when the target
 * is an indirect provider) the partner ID of an indirect reseller under that provider.
 * `partnerById` resolves a partner ID (MPN ID) to the partner; undefined when unknown.
 */
export function checkPartnerOfRecord(
  partnerIdOnRecord: string | undefined,
  target: Pick<Partner, 'tenantId' | 'kind' | 'partnerId'>,
  partnerById: (partnerId: string) => Pick<Partner, 'kind' | 'providerTenantId'> | undefined,
): Result<void> {
  if (partnerIdOnRecord === undefined || partnerIdOnRecord === target.partnerId) return ok(undefined);
  const recorded = partnerById(partnerIdOnRecord);
  if (!recorded) {
    return fail('PartnerOfRecordInvalid', `No partner has the partner ID ${partnerIdOnRecord}.`);
  }
  if (target.kind !== 'IndirectProvider') {
    return fail(
      'PartnerOfRecordInvalid',
      'A partner of record other than the target itself is only allowed when the target is an indirect provider.',
    );
  }
  if (recorded.kind !== 'IndirectReseller' || recorded.providerTenantId !== target.tenantId) {
    return fail(
      'PartnerOfRecordInvalid',
      `Partner ${partnerIdOnRecord} is not an indirect reseller under the target indirect provider.`,
    );
  }
  return ok(undefined);
}
