// The use cases operations repair transfers with: the very ones the workflow runs (functions/application), so the
// rules live in one place. This module only names them for the repairs; it holds no rule of its own.

import { closeUnacceptedTransfer } from '#application/close-unaccepted-transfer.ts';
import type { UseCaseDependencies as ApplicationDependencies } from '#application/dependencies.ts';
import { expireTransfer } from '#application/expire-transfer.ts';
import { finaliseTransfer } from '#application/finalise-transfer.ts';
import type { Storage } from '#application/ports.ts';
import { recordLineItemFailure } from '#application/record-line-item-failure.ts';
import { startMoving } from '#application/start-moving.ts';
import type { ClaimReleases } from '#application/subscription-claims.ts';

/**
 * The storage a repair touches: the use cases' transfers, subscriptions and audit, and the open-transfers index, and of the subscriptions only
 * the claim releases (the reconciler wires only these; inspect also reads the email markers, see inspect-transfer.ts).
 */
export type RepairStorage = Pick<Storage, 'transfers' | 'audit' | 'openTransfers'> & {
  subscriptions: ClaimReleases;
};

export interface UseCaseDependencies extends Omit<ApplicationDependencies, 'storage'> {
  storage: RepairStorage;
}

export interface TransferKey {
  customerId: string;
  transferId: string;
}

export const useCases = {
  expire: (deps: UseCaseDependencies, key: TransferKey) => expireTransfer(deps, key),
  closeUnaccepted: (deps: UseCaseDependencies, key: TransferKey) => closeUnacceptedTransfer(deps, key),
  startMoving: (deps: UseCaseDependencies, key: TransferKey) => startMoving(deps, key),
  failLineItem: (
    deps: UseCaseDependencies,
    key: TransferKey & { lineItemId: string; error: { code: string; description: string } },
  ) => recordLineItemFailure(deps, key),
  finalise: (deps: UseCaseDependencies, key: TransferKey) => finaliseTransfer(deps, key),
};
