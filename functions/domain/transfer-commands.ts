// The partner-facing commands, each in the one order every handler must follow: who may act (403/404), then the
// transfer's state (409), then the request's content (422), then the change itself. Handlers load the facts, call
// one of these, and store the result with a conditional write on `version`.

import {
  type AuthorizationSubject,
  authorizeCreateTransfer,
  authorizeTransferAction,
} from './authorization.ts';
import {
  evaluateLineItems,
  type LineItemLookups,
  type LineItemVerdict,
  refusedLineItemDetails,
} from './eligibility.ts';
import { fail, ok, type Result } from './errors.ts';
import { applyTransferEvent, refusalForEvent, submitHeader, type TransferHeaderFields } from './lifecycle.ts';
import type { Caller, LineItemRequest, Partner, Transfer } from './model.ts';
import { type CreationFacts, checkCreationPrerequisites } from './prerequisites.ts';
import { lineItemsFromVerdicts, newTransfer } from './transfer-factory.ts';

export interface CreateTransferCommand extends Omit<CreationFacts, 'targetPartner'> {
  caller: Caller;
  /** The caller tenant's partner record; it becomes the target. */
  callerPartner: Partner | undefined;
  id: string;
  now: Date;
  acceptanceWindowDays?: number;
}

export function createTransfer(command: CreateTransferCommand): Result<Transfer> {
  const { caller, callerPartner, request } = command;
  const allowed = authorizeCreateTransfer(caller, callerPartner, request.targetPartnerTenantId);
  if (!allowed.ok) return allowed;
  if (!callerPartner) return fail('CallerNotAPartner');
  const checked = checkCreationPrerequisites({ ...command, targetPartner: callerPartner });
  if (!checked.ok) return checked;
  return ok(
    newTransfer({
      id: command.id,
      customerId: command.customerId,
      request,
      caller,
      sourcePartner: checked.value.sourcePartner,
      targetPartner: checked.value.targetPartner,
      now: command.now,
      ...(command.acceptanceWindowDays !== undefined
        ? { acceptanceWindowDays: command.acceptanceWindowDays }
        : {}),
    }),
  );
}

export interface TransferCommandBase extends AuthorizationSubject {
  transfer: Transfer;
  now: Date;
}

export interface SetLineItemsCommand extends TransferCommandBase, LineItemLookups {
  lineItems: readonly LineItemRequest[];
}

/**
 * All or nothing: when any item is refused the transfer keeps its line items and the failure lists every refused
 * item in `details`, so the source fixes its request in one round trip.
 */
export function setTransferLineItems(
  command: SetLineItemsCommand,
): Result<{ transfer: Transfer; verdicts: LineItemVerdict[] }> {
  const { caller, transfer, now } = command;
  const allowed = authorizeTransferAction(caller, transfer, 'updateLineItems', command.callerPartner);
  if (!allowed.ok) return allowed;
  const late = refusalForEvent(transfer, 'SetLineItems', now);
  if (late) return { ok: false, error: late };
  if (command.lineItems.length === 0)
    return fail('NoLineItems', 'The request must name at least one line item.');

  const verdicts = evaluateLineItems(transfer, command.lineItems, command);
  const refused = refusedLineItemDetails(verdicts);
  if (refused.length > 0) return fail('LineItemsRefused', undefined, refused);

  const changed = applyTransferEvent(
    transfer,
    { type: 'SetLineItems', lineItems: lineItemsFromVerdicts(verdicts), by: caller.userId },
    now,
  );
  return changed.ok ? ok({ transfer: changed.value, verdicts }) : changed;
}

/** A transfer with its line items, or its header with their count: all that submit looks at. */
export type SubmittableTransfer = Transfer | (TransferHeaderFields & { lineItemCount: number });

/**
 * The submit does not judge the line items again: they were judged, and their subscriptions claimed for this transfer,
 * when they were set, and the version condition of the submit makes sure it accepts exactly those. A subscription
 * that changed since then fails its own move in the workflow, item by item. So a submit costs the same for 1 line
 * item as for 1,000, and it needs only their count: given the header (it names the source), it reads no line item.
 */
export function submitTransfer<T extends SubmittableTransfer>(
  command: AuthorizationSubject & { transfer: T; now: Date },
): Result<T> {
  const { caller, transfer, now } = command;
  const allowed = authorizeTransferAction(caller, transfer, 'submit', command.callerPartner);
  if (!allowed.ok) return allowed;
  const lineItemCount = 'lineItems' in transfer ? transfer.lineItems.length : transfer.lineItemCount;
  return submitHeader(transfer, lineItemCount, caller.userId, now);
}

export function cancelTransfer(command: TransferCommandBase): Result<Transfer> {
  const { caller, transfer, now } = command;
  const allowed = authorizeTransferAction(caller, transfer, 'cancel', command.callerPartner);
  if (!allowed.ok) return allowed;
  return applyTransferEvent(transfer, { type: 'Cancel', by: caller.userId }, now);
}

export function readTransfer(command: Omit<TransferCommandBase, 'now'>): Result<Transfer> {
  const allowed = authorizeTransferAction(command.caller, command.transfer, 'read', command.callerPartner);
  return allowed.ok ? ok(command.transfer) : allowed;
}
