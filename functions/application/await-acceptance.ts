// Await acceptance: the workflow's .waitForTaskToken step stores its task token on the transfer, conditional on status
// Active, so submit and cancel find it. A transfer that is no longer Active (submitted or canceled before the token
// was stored, or expired) answers TransferNoLongerActive: the ASL catches it and routes by the new status.
// Idempotent: storing the same token again changes nothing; a newer wait's token replaces an older, dead one.

import { WORKFLOW_ERRORS } from '#statemachines/workflow-errors.ts';
import type { UseCaseDependenciesWith } from './dependencies.ts';
import { TransferStatusConflictError } from './storage-errors.ts';
import type { TransferKey } from './transfer-facts.ts';
import { namedError } from './workflow-errors.ts';

export async function awaitAcceptance(
  { storage }: Pick<UseCaseDependenciesWith<'transfers'>, 'storage'>,
  input: TransferKey & { taskToken: string },
): Promise<{ stored: true }> {
  try {
    await storage.transfers.storeAcceptanceToken(input.customerId, input.transferId, input.taskToken);
  } catch (error) {
    if (error instanceof TransferStatusConflictError) {
      throw namedError(
        WORKFLOW_ERRORS.TransferNoLongerActive,
        `Transfer ${input.transferId} is ${error.currentStatus}: it no longer waits for acceptance.`,
      );
    }
    throw error;
  }
  // The token itself is never logged nor returned.
  return { stored: true };
}
