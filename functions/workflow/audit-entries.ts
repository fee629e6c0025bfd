// Appends a transfer's audit entries. Ids are deterministic (domain/audit.ts), so appending an entry that the API or
// an earlier attempt already wrote is a harmless duplicate: tasks simply append again on every run.
import type { Storage } from '#adapters/ports.ts';
import { auditRecordsFor } from '#domain/audit.ts';
import type { AuditOperation, AuditRecord, Transfer } from '#domain/model.ts';

type TransferFacts = Pick<
  Transfer,
  'id' | 'customerTenantId' | 'sourcePartnerTenantId' | 'targetPartnerTenantId'
>;

export async function appendAudit(
  storage: Pick<Storage, 'audit'>,
  transfer: TransferFacts,
  operation: AuditOperation,
  actor: string,
  at: string,
  details?: AuditRecord['details'],
): Promise<void> {
  for (const record of auditRecordsFor(transfer, operation, actor, at, details ? { details } : {})) {
    await storage.audit.append(record);
  }
}
