// What must hold before a target partner may create a transfer. Checked after authorization, in a fixed order, so
// each failure has one stable code.

import { fail, ok, type Result } from './errors.ts';
import type { CreateTransferRequest, Partner, Relationship, Subscription } from './model.ts';
import { checkPartnerOfRecord, checkTransferPath } from './partner-paths.ts';

export const NEW_COMMERCE_TRANSFER_TYPE = 3;

/** Everything the creation rules look at, loaded by the caller of this module. */
export interface CreationFacts {
  customerId: string;
  request: CreateTransferRequest;
  /** The caller's partner (the target). */
  targetPartner: Partner;
  /** The partner the request names as source; undefined when no partner has that tenant ID. */
  sourcePartner: Partner | undefined;
  /** The customer's relationship with the target; undefined when there is none (or no such customer). */
  targetRelationship: Relationship | undefined;
  /** The customer's relationship with the source; undefined when there is none. */
  sourceRelationship: Relationship | undefined;
  /** The customer's subscriptions (any billing partner). */
  customerSubscriptions: readonly Subscription[];
  /** Resolves a partner ID (partner of record) to a partner. */
  partnerById: (partnerId: string) => Partner | undefined;
}

/** The partners once the prerequisites hold. */
export interface CheckedCreation {
  sourcePartner: Partner;
  targetPartner: Partner;
}

export function sourceBillsCustomer(
  sourceTenantId: string,
  customerId: string,
  sourceRelationship: Relationship | undefined,
  customerSubscriptions: readonly Subscription[],
): boolean {
  return (
    sourceRelationship?.status === 'Active' &&
    sourceRelationship.partnerTenantId === sourceTenantId &&
    sourceRelationship.customerId === customerId &&
    customerSubscriptions.some(
      (s) => s.customerId === customerId && s.billingPartnerTenantId === sourceTenantId,
    )
  );
}

export function checkCreationPrerequisites(facts: CreationFacts): Result<CheckedCreation> {
  const { request, targetPartner, sourcePartner, targetRelationship, customerId } = facts;
  const sourceTenantId = request.sourcePartnerTenantId?.trim() ?? '';

  if (sourceTenantId === '') return fail('SourcePartnerTenantIdRequired');
  if (sourceTenantId === targetPartner.tenantId) return fail('SourceEqualsTarget');
  if (!sourcePartner || sourcePartner.tenantId !== sourceTenantId) {
    return fail('SourcePartnerNotFound', `No partner has the tenant ID ${sourceTenantId}.`);
  }
  if (request.transferType !== undefined && request.transferType !== NEW_COMMERCE_TRANSFER_TYPE) {
    return fail('UnsupportedTransferType');
  }

  const path = checkTransferPath(sourcePartner.kind, targetPartner.kind);
  if (!path.ok) return path;

  if (!targetPartner.partnerAgreementSigned) return fail('PartnerAgreementNotSigned');

  // An unknown customer reads the same as one without a relationship: the target learns nothing it may not know.
  const relationshipIsTarget =
    targetRelationship?.customerId === customerId &&
    targetRelationship.partnerTenantId === targetPartner.tenantId;
  if (!relationshipIsTarget || targetRelationship?.status !== 'Active') return fail('NoCustomerRelationship');
  if (!targetRelationship.customerAgreementSigned) return fail('CustomerAgreementNotSigned');

  if (
    !sourceBillsCustomer(sourceTenantId, customerId, facts.sourceRelationship, facts.customerSubscriptions)
  ) {
    return fail('SourcePartnerDoesNotBillCustomer');
  }

  const partnerOfRecord = checkPartnerOfRecord(request.partnerOnRecord, targetPartner, facts.partnerById);
  if (!partnerOfRecord.ok) return partnerOfRecord;

  return ok({ sourcePartner, targetPartner });
}
