// What every action on an existing transfer (set line items, submit, cancel) starts with: the transfer and the
// caller's partner record, once the caller may take the action and the identity fields it echoed name this transfer.
import { authorizeTransferAction, type TransferAction } from '#domain/authorization.ts';
import { unwrap } from '#domain/errors.ts';
import type { Caller } from '#domain/model.ts';
import type { UseCaseDependencies } from './dependencies.ts';
import { assertEchoMatches, type ReadOnlyEcho } from './read-only-echo.ts';
import { loadCallerPartner, requireTransfer } from './transfer-facts.ts';

export interface TransferActionInput {
  caller: Caller;
  customerId: string;
  transferId: string;
  /** Identity fields the request echoed (PATCH); they must name this transfer. */
  echo?: ReadOnlyEcho;
}

/** 404 TransferNotFound, the authorization refusal, or 400 ReadOnlyFieldMismatch, in that order. */
export async function loadTransferForAction(
  deps: UseCaseDependencies,
  input: TransferActionInput,
  action: Exclude<TransferAction, 'read'>,
) {
  const [transfer, callerPartner] = await Promise.all([
    requireTransfer(deps.storage, input.customerId, input.transferId),
    loadCallerPartner(deps.storage, input.caller),
  ]);
  unwrap(authorizeTransferAction(input.caller, transfer, action, callerPartner));
  assertEchoMatches(transfer, input.echo);
  return { transfer, callerPartner };
}
