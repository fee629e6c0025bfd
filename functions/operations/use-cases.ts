// The use cases operations repair transfers with: the very ones the workflow runs, so the rules live in one place.
// This module only adapts their call shape; it holds no rule of its own.
import type { Clock, Storage } from '#adapters/ports.ts';
import { closeUnacceptedTransfer } from '#workflow/close-unaccepted-transfer.ts';
import { expireTransfer } from '#workflow/expire-transfer.ts';
import { finaliseTransfer } from '#workflow/finalise-transfer.ts';
import { recordLineItemFailure } from '#workflow/record-line-item-failure.ts';
import { startMoving } from '#workflow/start-moving.ts';

export interface UseCaseDependencies {
  storage: Storage;
  now: Clock;
}

export interface TransferKey {
  customerId: string;
  transferId: string;
}

export const useCases = {
  expire: (deps: UseCaseDependencies, key: TransferKey) => expireTransfer(key, deps),
  closeUnaccepted: (deps: UseCaseDependencies, key: TransferKey) => closeUnacceptedTransfer(key, deps),
  startMoving: (deps: UseCaseDependencies, key: TransferKey) => startMoving(key, deps),
  failLineItem: (
    deps: UseCaseDependencies,
    key: TransferKey & { lineItemId: string; error: string; cause: string },
  ) => recordLineItemFailure(key, deps),
  finalise: (deps: UseCaseDependencies, key: TransferKey) => finaliseTransfer(key, deps),
};
