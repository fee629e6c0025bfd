// CloseUnaccepted: the transfer ended without being accepted (Canceled or Expired). Gives back every subscription
// it claimed (its line items, and any claim a crashed PATCH left outside them: looked for only when the header
// still shows claims in flight) and writes the audit entry (again:
// the cancel endpoint or expire-transfer may have written it already, and the ids are deterministic). Every step is
// safe to repeat: releasing a claim this transfer no longer holds changes nothing, and the entry's time is the
// transfer's last change, which a terminal transfer never alters.
import { SYSTEM_ACTOR } from '#domain/lifecycle.ts';
import type { TransferStatus } from '#domain/model.ts';
import { WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import { appendAudit } from './audit-trail.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';
import { type ClaimReleases, releaseEveryClaim } from './subscription-claims.ts';
import type { TransferKey } from './transfer-facts.ts';
import { namedError, transferNotFound } from './workflow-errors.ts';

export async function closeUnacceptedTransfer(
  {
    storage,
  }: {
    storage: UseCaseDependenciesWith<'transfers' | 'audit'>['storage'] & { subscriptions: ClaimReleases };
  },
  input: TransferKey,
): Promise<{ customerId: string; transferId: string; status: TransferStatus; releasedClaims: number }> {
  const { customerId, transferId } = input;
  const read = await storage.transfers.getWithClaimsInFlight(customerId, transferId);
  if (!read) throw transferNotFound(customerId, transferId);
  const { transfer, claimsInFlight } = read;
  if (transfer.status !== 'Canceled' && transfer.status !== 'Expired') {
    throw namedError(
      WORKFLOW_FAULTS.TransferNotClosed,
      `Transfer ${transferId} is ${transfer.status}; only Canceled or Expired transfers are closed.`,
    );
  }
  const releasedClaims = await releaseEveryClaim(storage, transfer, claimsInFlight);
  if (transfer.status === 'Canceled') {
    await appendAudit(
      storage,
      transfer,
      'TransferCanceled',
      transfer.lastModifiedUser,
      transfer.lastModifiedTime,
    );
  } else {
    await appendAudit(storage, transfer, 'TransferExpired', SYSTEM_ACTOR, transfer.lastModifiedTime);
  }
  return { customerId, transferId, status: transfer.status, releasedClaims };
}
