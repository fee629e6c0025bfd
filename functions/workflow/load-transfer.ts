// LoadTransfer: what the state machine routes by. Reads only the header (one GetItem), never changes anything.
//
// acceptanceTimeoutSeconds is the time left until expirationTime (so a resumed workflow keeps the original deadline),
// at least 1 and at most 14 days: the local engine cannot time more than ~24.8 days, and a long wait that ends early
// is harmless (expire-transfer sees the window still open, and the workflow reloads and waits again).

import type { UseCaseDependenciesWith } from '#application/dependencies.ts';
import { transferNotFound } from '#application/workflow-errors.ts';
import type { TransferStatus } from '#domain/model.ts';
import { systemClock, transfersFromEnvironment } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { parseTransferTaskInput, type TransferTaskInput } from './task-inputs.ts';

export const MAX_ACCEPTANCE_WAIT_SECONDS = 14 * 24 * 60 * 60;

export interface TransferRoutingFacts {
  customerId: string;
  transferId: string;
  status: TransferStatus;
  creationNotified: boolean;
  acceptanceTimeoutSeconds: number;
}

/** Whole seconds until `expirationTime`, rounded up (the wait must not end before it), within [1, 14 days]. */
export function acceptanceTimeoutSeconds(expirationTime: string, now: Date): number {
  const remainingMs = Date.parse(expirationTime) - now.getTime();
  const seconds = Number.isFinite(remainingMs) ? Math.ceil(remainingMs / 1000) : 1;
  return Math.min(Math.max(seconds, 1), MAX_ACCEPTANCE_WAIT_SECONDS);
}

export async function loadRoutingFacts(
  { storage, now }: UseCaseDependenciesWith<'transfers'>,
  input: TransferTaskInput,
): Promise<TransferRoutingFacts> {
  const header = await storage.transfers.getHeader(input.customerId, input.transferId);
  if (!header) throw transferNotFound(input.customerId, input.transferId);
  return {
    customerId: input.customerId,
    transferId: input.transferId,
    status: header.status,
    creationNotified: header.creationNotified,
    acceptanceTimeoutSeconds: acceptanceTimeoutSeconds(header.expirationTime, now()),
  };
}

export const handler = defineWorkflowTask('loadTransfer', parseTransferTaskInput, (input) =>
  loadRoutingFacts({ storage: { transfers: transfersFromEnvironment() }, now: systemClock }, input),
);
