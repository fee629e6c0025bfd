// Audit entries: which partner sees which entry for which transfer event. Ids are deterministic, so the API and
// the workflow can both write an entry (the second write is a harmless duplicate) and a crash between a state
// change and its audit entry is repaired by whichever runs next.
import type { AuditOperation, AuditRecord, Transfer } from './model.ts';

type TransferFacts = Pick<
  Transfer,
  'id' | 'customerTenantId' | 'sourcePartnerTenantId' | 'targetPartnerTenantId'
>;

/** Whose audit log records each operation. */
export const AUDIT_AUDIENCE: Record<AuditOperation, readonly ('source' | 'target')[]> = {
  TransferCreated: ['target'],
  TransferUpdated: ['source'],
  TransferAccepted: ['source'],
  TransferCanceled: ['target'],
  TransferExpired: ['source', 'target'],
  TransferCompleted: ['source', 'target'],
  TransferRepaired: ['source', 'target'],
};

export function auditRecordId(
  transferId: string,
  operation: AuditOperation,
  partnerTenantId: string,
  revision: number | string = 0,
) {
  return `${transferId}:${operation}:${partnerTenantId}:${revision}`;
}

/**
 * The entries for one operation on a transfer, one per partner in its audience.
 * `revision` distinguishes repeatable operations (line item updates: the transfer's version; repairs: what and when).
 */
export function auditRecordsFor(
  transfer: TransferFacts,
  operation: AuditOperation,
  actor: string,
  at: string,
  options: { revision?: number | string; details?: AuditRecord['details'] } = {},
): AuditRecord[] {
  return AUDIT_AUDIENCE[operation].map((party) => {
    const partnerTenantId =
      party === 'source' ? transfer.sourcePartnerTenantId : transfer.targetPartnerTenantId;
    return {
      id: auditRecordId(transfer.id, operation, partnerTenantId, options.revision ?? 0),
      partnerTenantId,
      operation,
      transferId: transfer.id,
      customerId: transfer.customerTenantId,
      actor,
      at,
      ...(options.details ? { details: options.details } : {}),
    };
  });
}
