// The one way a use case writes audit entries. Ids are deterministic (domain/audit.ts), so a retry, a racing loser
// that completes the winner's steps, and a workflow task may all append the same entry: the first write wins.

import { auditRecordsFor } from '#domain/audit.ts';
import type { AuditOperation, AuditRecord, Transfer } from '#domain/model.ts';
import type { Storage } from './ports.ts';

export type AuditedTransfer = Pick<
  Transfer,
  'id' | 'customerTenantId' | 'sourcePartnerTenantId' | 'targetPartnerTenantId'
>;

export async function appendAudit(
  storage: Pick<Storage, 'audit'>,
  transfer: AuditedTransfer,
  operation: AuditOperation,
  actor: string,
  at: string,
  options: { revision?: number; details?: AuditRecord['details'] } = {},
): Promise<void> {
  await Promise.all(
    auditRecordsFor(transfer, operation, actor, at, options).map((record) => storage.audit.append(record)),
  );
}
