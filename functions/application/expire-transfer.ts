// Expire: the acceptance wait timed out. Active -> Expired if the domain agrees the window has passed, with
// one conditional write that races submit and cancel: the loser of that race simply returns and the workflow routes
// by whatever status won. A capped wait that ended before expirationTime (TransferNotYetExpired) also just returns:
// the workflow reloads and waits again. The audit entry for both partners follows the status change (a crash in
// between is repaired by close-unaccepted-transfer, which appends it again).

import { applyTransferEvent, SYSTEM_ACTOR } from '#domain/lifecycle.ts';
import type { TransferStatus } from '#domain/model.ts';
import { recordTransferExpired } from '#shared/observability/transfer-metrics.ts';
import { appendAudit } from './audit-trail.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';
import { TransferStatusConflictError } from './storage-errors.ts';
import type { TransferKey } from './transfer-facts.ts';
import { transferNotFound } from './workflow-errors.ts';

export type ExpireOutcome = 'expired' | 'not-yet-expired' | 'no-longer-active';

export async function expireTransfer(
  { storage, now }: UseCaseDependenciesWith<'transfers' | 'audit'>,
  input: TransferKey,
): Promise<{ customerId: string; transferId: string; outcome: ExpireOutcome; status: TransferStatus }> {
  const { customerId, transferId } = input;
  const result = (outcome: ExpireOutcome, status: TransferStatus) => ({
    customerId,
    transferId,
    outcome,
    status,
  });
  const header = await storage.transfers.getHeader(customerId, transferId);
  if (!header) throw transferNotFound(customerId, transferId);
  if (header.status !== 'Active') return result('no-longer-active', header.status);

  const expired = applyTransferEvent({ ...header, lineItems: [] }, { type: 'Expire' }, now());
  if (!expired.ok) {
    return expired.error.code === 'TransferNotYetExpired'
      ? result('not-yet-expired', header.status)
      : result('no-longer-active', header.status);
  }
  try {
    await storage.transfers.changeStatus(customerId, transferId, {
      from: ['Active'],
      to: 'Expired',
      set: {
        lastModifiedTime: expired.value.lastModifiedTime,
        lastModifiedUser: expired.value.lastModifiedUser,
      },
    });
  } catch (error) {
    if (error instanceof TransferStatusConflictError) return result('no-longer-active', error.currentStatus);
    throw error;
  }
  recordTransferExpired();
  await appendAudit(storage, header, 'TransferExpired', SYSTEM_ACTOR, expired.value.lastModifiedTime);
  return result('expired', 'Expired');
}
