// What every action on an existing transfer (set line items, submit, cancel) starts with: the transfer and the
// caller's partner record, once the caller may take the action and the identity fields it echoed name this transfer.
import {
  authorizeTransferAction,
  headerDecidesParty,
  type TransferAction,
  type TransferParties,
} from '#domain/authorization.ts';
import { DomainError, failure, unwrap } from '#domain/errors.ts';
import type { Caller, Partner } from '#domain/model.ts';
import type { UseCaseDependencies } from './dependencies.ts';
import type { TransferHeader } from './ports.ts';
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
  checkAction(input, transfer, action, callerPartner);
  return { transfer, callerPartner };
}

/** The checks after the reads: the authorization refusal, then the echoed identity fields. */
function checkAction(
  input: TransferActionInput,
  transfer: TransferParties & Parameters<typeof assertEchoMatches>[0],
  action: Exclude<TransferAction, 'read'>,
  callerPartner: Partner | undefined,
): void {
  unwrap(authorizeTransferAction(input.caller, transfer, action, callerPartner));
  assertEchoMatches(transfer, input.echo);
}

/**
 * The same checks in the same order, on the header alone (one GetItem, no line item read) when the header names the
 * caller as source or target. Any other caller may be a reseller that only a line item names as partner of record:
 * for them the whole transfer decides, as in loadTransferForAction (an action such a caller may never take anyway).
 */
export async function loadTransferHeaderForAction(
  deps: UseCaseDependencies,
  input: TransferActionInput,
  action: Exclude<TransferAction, 'read'>,
): Promise<{ transfer: TransferHeader; callerPartner: Partner | undefined }> {
  const [stored, callerPartner] = await Promise.all([
    deps.storage.transfers.getHeader(input.customerId, input.transferId),
    loadCallerPartner(deps.storage, input.caller),
  ]);
  if (!stored) throw new DomainError(failure('TransferNotFound'));
  if (!headerDecidesParty(input.caller, stored)) {
    // The caller's partner is already read: only the line items are missing.
    const { lineItems, ...header } = await requireTransfer(deps.storage, input.customerId, input.transferId);
    checkAction(input, { ...header, lineItems }, action, callerPartner);
    return { transfer: { ...header, lineItemCount: lineItems.length }, callerPartner };
  }
  const { creationNotified: _notified, lineItemSet: _set, workflowRun: _run, ...transfer } = stored;
  checkAction(input, transfer, action, callerPartner);
  return { transfer, callerPartner };
}
