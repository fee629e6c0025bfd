import { describe, expect, it } from 'vitest';
import {
  applyTransferEvent,
  canTransition,
  isTerminal,
  SYSTEM_ACTOR,
  TRANSFER_TRANSITIONS,
  type TransferEvent,
} from '#domain/lifecycle.ts';
import { TRANSFER_STATUSES, type Transfer, type TransferStatus } from '#domain/model.ts';
import { transferProgress } from '#domain/progress.ts';
import { activeTransfer, at, DAY_MS, pendingLineItems } from './fixtures.ts';

const BEFORE_EXPIRY = at(DAY_MS);
const AFTER_EXPIRY = at(31 * DAY_MS);
const ERROR = { code: 'Gone', description: 'Subscription gone.' };

/** A transfer in the given status, with two line items in a state that status allows. */
function transferIn(status: TransferStatus): Transfer {
  const items = pendingLineItems(2);
  const base = activeTransfer({ lineItems: items });
  switch (status) {
    case 'Active':
    case 'Canceled':
    case 'Expired':
      return { ...base, status };
    case 'Accepted':
      return { ...base, status, acceptedTime: at(1000).toISOString() };
    case 'InProgress':
      return { ...base, status, acceptedTime: at(1000).toISOString() };
    case 'Complete':
    case 'CompletedWithErrors':
      return {
        ...base,
        status,
        acceptedTime: at(1000).toISOString(),
        completedTime: at(2000).toISOString(),
        lineItems: items.map((item, i) => ({
          ...item,
          attempts: 1,
          status: status === 'Complete' || i === 0 ? ('Complete' as const) : ('Failed' as const),
        })),
      };
  }
}

const EVENTS = {
  SetLineItems: { type: 'SetLineItems', lineItems: pendingLineItems(1), by: 'source-user' },
  Submit: { type: 'Submit', by: 'source-user' },
  Cancel: { type: 'Cancel', by: 'target-user' },
  Expire: { type: 'Expire' },
  StartMoving: { type: 'StartMoving' },
  LineItemAttemptStarted: { type: 'LineItemAttemptStarted', lineItemId: '0' },
  LineItemMoved: { type: 'LineItemMoved', lineItemId: '0' },
  LineItemFailed: { type: 'LineItemFailed', lineItemId: '0', error: ERROR, permanent: true },
  Finalise: { type: 'Finalise' },
} satisfies Record<string, TransferEvent>;

type EventName = keyof typeof EVENTS;

/**
 * Outcome of each event in each status, at a time before expiry (Expire: after it): the resulting status, 'same'
 * (an accepted replay returning the unchanged object) or an error code.
 */
function expectedOutcome(status: TransferStatus, eventName: EventName): string {
  if (isTerminal(status)) return 'TransferTerminal';
  switch (eventName) {
    case 'SetLineItems':
      return status === 'Active' ? 'Active' : 'TransferNotActive';
    case 'Submit':
      return status === 'Active' ? 'Accepted' : 'TransferNotActive';
    case 'Cancel':
      return status === 'Active' ? 'Canceled' : 'TransferNotActive';
    case 'Expire':
      return status === 'Active' ? 'Expired' : 'TransferNotActive';
    case 'StartMoving':
      return status === 'Accepted' ? 'InProgress' : status === 'InProgress' ? 'same' : 'IllegalTransition';
    case 'Finalise':
      // Two pending items: an InProgress transfer cannot finalise yet.
      return status === 'InProgress' ? 'LineItemsNotSettled' : 'IllegalTransition';
    default:
      // Line item events: only while InProgress, and the transfer stays InProgress.
      return status === 'InProgress' ? 'InProgress' : 'IllegalTransition';
  }
}

const CASES = TRANSFER_STATUSES.flatMap((status) =>
  (Object.keys(EVENTS) as EventName[]).map((eventName): [TransferStatus, EventName, string] => [
    status,
    eventName,
    expectedOutcome(status, eventName),
  ]),
);

describe('transfer status machine: every status x event', () => {
  it.each(CASES)('%s + %s -> %s', (status, eventName, outcome) => {
    const transfer = transferIn(status);
    const now = eventName === 'Expire' ? AFTER_EXPIRY : BEFORE_EXPIRY;
    const result = applyTransferEvent(transfer, EVENTS[eventName]!, now);
    if (!result.ok) {
      expect(result.error.code).toBe(outcome);
      expect(result.error.status).toBe(outcome === 'LineItemNotFound' ? 404 : 409);
      return;
    }
    if (outcome === 'same') {
      expect(result.value).toBe(transfer);
      return;
    }
    expect(result.value.status).toBe(outcome);
    expect(result.value.version).toBe(transfer.version + 1);
    expect(result.value.lastModifiedTime).toBe(now.toISOString());
    if (result.value.status !== transfer.status)
      expect(canTransition(transfer.status, result.value.status)).toBe(true);
  });
});

describe('transition table', () => {
  it.each(TRANSFER_STATUSES)('%s is terminal exactly when it has no way out', (status) => {
    expect(isTerminal(status)).toBe(TRANSFER_TRANSITIONS[status].length === 0);
  });

  it('Canceled and Expired are reachable only from Active', () => {
    for (const from of TRANSFER_STATUSES) {
      expect(canTransition(from, 'Canceled')).toBe(from === 'Active');
      expect(canTransition(from, 'Expired')).toBe(from === 'Active');
    }
  });
});

describe('time rules', () => {
  const expiry = activeTransfer().expirationTime;

  it.each(['SetLineItems', 'Submit', 'Cancel'] as const)(
    '%s at or after expirationTime -> TransferExpired',
    (name) => {
      const transfer = transferIn('Active');
      for (const now of [new Date(expiry), AFTER_EXPIRY]) {
        const r = applyTransferEvent(transfer, EVENTS[name]!, now);
        expect(r.ok ? 'ok' : r.error.code).toBe('TransferExpired');
      }
    },
  );

  it('Submit one millisecond before expirationTime is accepted', () => {
    const r = applyTransferEvent(transferIn('Active'), EVENTS.Submit!, new Date(Date.parse(expiry) - 1));
    expect(r.ok && r.value.status).toBe('Accepted');
  });

  it('Expire before expirationTime -> TransferNotYetExpired', () => {
    const r = applyTransferEvent(transferIn('Active'), EVENTS.Expire!, new Date(Date.parse(expiry) - 1));
    expect(r.ok ? 'ok' : r.error.code).toBe('TransferNotYetExpired');
  });

  it('Expire exactly at expirationTime is accepted', () => {
    const r = applyTransferEvent(transferIn('Active'), EVENTS.Expire!, new Date(expiry));
    expect(r.ok && r.value.status).toBe('Expired');
  });

  it('a clock behind the record never moves lastModifiedTime backwards', () => {
    const transfer = { ...transferIn('Active'), lastModifiedTime: at(5 * DAY_MS).toISOString() };
    const r = applyTransferEvent(transfer, EVENTS.Submit!, at(DAY_MS));
    expect(r.ok && r.value.lastModifiedTime).toBe(at(5 * DAY_MS).toISOString());
    expect(r.ok && r.value.acceptedTime).toBe(at(5 * DAY_MS).toISOString());
  });
});

describe('event specifics', () => {
  it('Submit without line items -> NoLineItems', () => {
    const r = applyTransferEvent(activeTransfer(), EVENTS.Submit!, BEFORE_EXPIRY);
    expect(r.ok ? 'ok' : r.error.code).toBe('NoLineItems');
  });

  it('Submit records who accepted and when', () => {
    const r = applyTransferEvent(transferIn('Active'), EVENTS.Submit!, BEFORE_EXPIRY);
    expect(r.ok && r.value).toMatchObject({
      status: 'Accepted',
      acceptedTime: BEFORE_EXPIRY.toISOString(),
      lastModifiedUser: 'source-user',
    });
  });

  it('workflow events are recorded as the system', () => {
    const r = applyTransferEvent(transferIn('Accepted'), EVENTS.StartMoving!, BEFORE_EXPIRY);
    expect(r.ok && r.value.lastModifiedUser).toBe(SYSTEM_ACTOR);
  });

  it('SetLineItems replaces the items and refuses items that already moved', () => {
    const r = applyTransferEvent(transferIn('Active'), EVENTS.SetLineItems!, BEFORE_EXPIRY);
    expect(r.ok && r.value.lineItems.map((i) => i.subscriptionId)).toEqual(['sub-0']);
    const moved = pendingLineItems(1).map((i) => ({ ...i, status: 'Complete' as const, attempts: 1 }));
    const bad = applyTransferEvent(
      transferIn('Active'),
      { type: 'SetLineItems', lineItems: moved, by: 'u' },
      BEFORE_EXPIRY,
    );
    expect(bad.ok ? 'ok' : bad.error.code).toBe('IllegalTransition');
  });

  it('an unknown line item -> LineItemNotFound', () => {
    const r = applyTransferEvent(
      transferIn('InProgress'),
      { type: 'LineItemMoved', lineItemId: '99' },
      BEFORE_EXPIRY,
    );
    expect(r.ok ? 'ok' : r.error.code).toBe('LineItemNotFound');
  });

  it('a replayed move of a Complete item returns the same transfer, version unchanged', () => {
    const first = applyTransferEvent(transferIn('InProgress'), EVENTS.LineItemMoved!, BEFORE_EXPIRY);
    if (!first.ok) throw new Error(first.error.code);
    const replay = applyTransferEvent(first.value, EVENTS.LineItemMoved!, BEFORE_EXPIRY);
    expect(replay.ok && replay.value).toBe(first.value);
  });

  function settle(statuses: ('Moved' | 'Failed')[]): Transfer {
    let transfer: Transfer = { ...transferIn('InProgress'), lineItems: pendingLineItems(statuses.length) };
    statuses.forEach((outcome, i) => {
      const event: TransferEvent =
        outcome === 'Moved'
          ? { type: 'LineItemMoved', lineItemId: String(i) }
          : { type: 'LineItemFailed', lineItemId: String(i), error: ERROR, permanent: true };
      const r = applyTransferEvent(transfer, event, BEFORE_EXPIRY);
      if (!r.ok) throw new Error(r.error.code);
      transfer = r.value;
    });
    return transfer;
  }

  it.each([
    [['Moved', 'Moved', 'Moved'], 'Complete', { moved: 3, failed: 0, total: 3 }],
    [['Moved', 'Failed', 'Moved'], 'CompletedWithErrors', { moved: 2, failed: 1, total: 3 }],
    [['Failed', 'Failed'], 'CompletedWithErrors', { moved: 0, failed: 2, total: 2 }],
  ] as const)('Finalise after %j -> %s', (outcomes, status, progress) => {
    const settled = settle([...outcomes]);
    expect(transferProgress(settled)).toEqual(progress);
    const r = applyTransferEvent(settled, EVENTS.Finalise!, BEFORE_EXPIRY);
    expect(r.ok && r.value).toMatchObject({ status, completedTime: BEFORE_EXPIRY.toISOString() });
  });

  it('a transient failure does not settle the item: Finalise waits', () => {
    const r = applyTransferEvent(
      { ...transferIn('InProgress'), lineItems: pendingLineItems(1) },
      { type: 'LineItemFailed', lineItemId: '0', error: ERROR, permanent: false },
      BEFORE_EXPIRY,
    );
    if (!r.ok) throw new Error(r.error.code);
    expect(transferProgress(r.value)).toEqual({ moved: 0, failed: 0, total: 1 });
    const finalise = applyTransferEvent(r.value, EVENTS.Finalise!, BEFORE_EXPIRY);
    expect(finalise.ok ? 'ok' : finalise.error.code).toBe('LineItemsNotSettled');
  });

  it('never mutates the transfer it is given', () => {
    const transfer = transferIn('InProgress');
    const copy = structuredClone(transfer);
    for (const event of Object.values(EVENTS)) applyTransferEvent(transfer, event, BEFORE_EXPIRY);
    expect(transfer).toEqual(copy);
  });
});
