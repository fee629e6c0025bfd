// The transfer's status machine. Every change goes through applyTransferEvent, so the rules (terminal states never
// change, Canceled/Expired only from Active, Complete only when every item moved) live in one place.
//
//   Active --Submit--> Accepted --StartMoving--> InProgress --Finalise--> Complete | CompletedWithErrors
//   Active --Cancel--> Canceled          Active --Expire--> Expired
//
// Who may send an event is authorization.ts's job; this module only knows states and time.

import { type DomainFailure, fail, failure, ok, type Result } from './errors.ts';
import { isPastExpiration } from './expiration.ts';
import { applyLineItemEvent, isLineItemSettled, type LineItemError } from './line-item-status.ts';
import type { Transfer, TransferLineItem, TransferStatus } from './model.ts';

/** lastModifiedUser for changes the workflow makes. */
export const SYSTEM_ACTOR = 'system';

export const TRANSFER_TRANSITIONS: Readonly<Record<TransferStatus, readonly TransferStatus[]>> = {
  Active: ['Accepted', 'Canceled', 'Expired'],
  Accepted: ['InProgress'],
  InProgress: ['Complete', 'CompletedWithErrors'],
  Complete: [],
  CompletedWithErrors: [],
  Canceled: [],
  Expired: [],
};

export const TERMINAL_TRANSFER_STATUSES: readonly TransferStatus[] = [
  'Complete',
  'CompletedWithErrors',
  'Canceled',
  'Expired',
];

/** Statuses in which the transfer still claims its subscriptions. */
export const OPEN_TRANSFER_STATUSES: readonly TransferStatus[] = ['Active', 'Accepted', 'InProgress'];

export function isTerminal(status: TransferStatus): boolean {
  return TERMINAL_TRANSFER_STATUSES.includes(status);
}

export function canTransition(from: TransferStatus, to: TransferStatus): boolean {
  return TRANSFER_TRANSITIONS[from].includes(to);
}

export type TransferEvent =
  /** The source replaces the line items while the transfer is pending. */
  | { type: 'SetLineItems'; lineItems: TransferLineItem[]; by: string }
  | { type: 'Submit'; by: string }
  | { type: 'Cancel'; by: string }
  | { type: 'Expire'; by?: string }
  | { type: 'StartMoving'; by?: string }
  | { type: 'LineItemAttemptStarted'; lineItemId: string; by?: string }
  | { type: 'LineItemMoved'; lineItemId: string; by?: string }
  | { type: 'LineItemFailed'; lineItemId: string; error: LineItemError; permanent: boolean; by?: string }
  | { type: 'Finalise'; by?: string };

export type TransferEventType = TransferEvent['type'];

/** Events that only make sense while the transfer waits for the source. */
const PENDING_ONLY: ReadonlySet<TransferEventType> = new Set(['SetLineItems', 'Submit', 'Cancel', 'Expire']);

/**
 * Applies one event at `now`. On success the transfer carries a new version and lastModifiedTime; an event that
 * changes nothing (a replayed workflow step) returns the very same object. On failure nothing changed.
 */
export function applyTransferEvent(transfer: Transfer, event: TransferEvent, now: Date): Result<Transfer> {
  const at = eventTime(transfer, now);
  const refusal = refusalForEvent(transfer, event.type, at);
  if (refusal) return { ok: false, error: refusal };

  const next = nextState(transfer, event, at);
  if (!next.ok || next.value === transfer) return next;
  return ok(stamped(next.value, transfer, at, event.by));
}

/** A transfer without its line items: what a change that never looks at the items works on. */
export type TransferHeaderFields = Omit<Transfer, 'lineItems'>;

/**
 * Submit on the header alone: Active -> Accepted looks at the status, the expiry and how many line items there are
 * (the items themselves were judged when they were set), so accepting never needs to read them. The same rule as
 * applyTransferEvent's Submit.
 */
export function submitHeader<H extends TransferHeaderFields>(
  header: H,
  lineItemCount: number,
  by: string,
  now: Date,
): Result<H> {
  const at = eventTime(header, now);
  const refusal = refusalForEvent(header, 'Submit', at);
  if (refusal) return { ok: false, error: refusal };
  const next = accepted(header, lineItemCount, at);
  return next.ok ? ok(stamped(next.value, header, at, by)) : next;
}

/** Time never runs backwards on the record, even if the caller's clock does. */
function eventTime(transfer: Pick<Transfer, 'lastModifiedTime'>, now: Date): Date {
  return new Date(Math.max(now.getTime(), Date.parse(transfer.lastModifiedTime)));
}

function stamped<H extends TransferHeaderFields>(
  next: H,
  before: TransferHeaderFields,
  at: Date,
  by?: string,
): H {
  return {
    ...next,
    lastModifiedTime: at.toISOString(),
    lastModifiedUser: by ?? SYSTEM_ACTOR,
    version: before.version + 1,
  };
}

function accepted<H extends TransferHeaderFields>(header: H, lineItemCount: number, at: Date): Result<H> {
  if (lineItemCount === 0) return fail('NoLineItems');
  return ok({ ...header, status: 'Accepted', acceptedTime: at.toISOString() });
}

/**
 * The status and time rules common to all events, checked before the event's own rules. Exported so that a command
 * can answer a late call with 409 before it spends effort judging the request's content.
 */
export function refusalForEvent(
  transfer: Pick<Transfer, 'status' | 'expirationTime'>,
  eventType: TransferEventType,
  now: Date,
): DomainFailure | undefined {
  if (isTerminal(transfer.status)) {
    return failure('TransferTerminal', `The transfer is ${transfer.status} and can never change again.`);
  }
  if (PENDING_ONLY.has(eventType)) {
    if (transfer.status !== 'Active') {
      return failure('TransferNotActive', `The transfer is ${transfer.status}: it is no longer pending.`);
    }
    const past = isPastExpiration(transfer, now);
    if (eventType === 'Expire' && !past) return failure('TransferNotYetExpired');
    if (eventType !== 'Expire' && past) return failure('TransferExpired');
  }
  return undefined;
}

function nextState(transfer: Transfer, event: TransferEvent, now: Date): Result<Transfer> {
  switch (event.type) {
    case 'SetLineItems':
      if (event.lineItems.some((item) => item.status !== 'Pending' || item.attempts !== 0)) {
        return fail('IllegalTransition', 'New line items must be Pending and not yet attempted.');
      }
      return ok({ ...transfer, lineItems: event.lineItems });
    case 'Submit':
      return accepted(transfer, transfer.lineItems.length, now);
    case 'Cancel':
      return ok({ ...transfer, status: 'Canceled' });
    case 'Expire':
      return ok({ ...transfer, status: 'Expired' });
    case 'StartMoving':
      if (transfer.status === 'InProgress') return ok(transfer);
      if (transfer.status !== 'Accepted') return illegal(transfer, event);
      return ok({ ...transfer, status: 'InProgress' });
    case 'LineItemAttemptStarted':
      return withLineItem(transfer, event.lineItemId, (item) =>
        applyLineItemEvent(item, { type: 'AttemptStarted' }, now),
      );
    case 'LineItemMoved':
      return withLineItem(transfer, event.lineItemId, (item) =>
        applyLineItemEvent(item, { type: 'Moved' }, now),
      );
    case 'LineItemFailed':
      return withLineItem(transfer, event.lineItemId, (item) =>
        applyLineItemEvent(item, { type: 'Failed', error: event.error, permanent: event.permanent }, now),
      );
    case 'Finalise': {
      if (transfer.status !== 'InProgress') return illegal(transfer, event);
      if (!transfer.lineItems.every((item) => isLineItemSettled(item.status)))
        return fail('LineItemsNotSettled');
      const allMoved = transfer.lineItems.every((item) => item.status === 'Complete');
      return ok({
        ...transfer,
        status: allMoved ? 'Complete' : 'CompletedWithErrors',
        completedTime: now.toISOString(),
      });
    }
  }
}

function illegal(transfer: Transfer, event: TransferEvent): Result<Transfer> {
  return fail('IllegalTransition', `A transfer that is ${transfer.status} cannot take "${event.type}".`);
}

/** Line items only move while the transfer is InProgress. */
function withLineItem(
  transfer: Transfer,
  lineItemId: string,
  change: (item: TransferLineItem) => Result<TransferLineItem>,
): Result<Transfer> {
  if (transfer.status !== 'InProgress') {
    return fail('IllegalTransition', `Line items do not move while the transfer is ${transfer.status}.`);
  }
  const index = transfer.lineItems.findIndex((item) => item.id === lineItemId);
  const current = transfer.lineItems[index];
  if (!current) return fail('LineItemNotFound', `The transfer has no line item ${lineItemId}.`);
  const changed = change(current);
  if (!changed.ok) return changed;
  if (changed.value === current) return ok(transfer);
  return ok({ ...transfer, lineItems: transfer.lineItems.with(index, changed.value) });
}
