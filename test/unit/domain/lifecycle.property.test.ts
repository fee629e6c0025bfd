// Random sequences of commands and workflow events, by random callers at random times, never reach an illegal
// state. Each step goes through the same functions the handlers and workflow tasks call.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERRORS, type Result } from '#domain/errors.ts';
import { isPastExpiration } from '#domain/expiration.ts';
import { applyTransferEvent, canTransition, isTerminal, type TransferEvent } from '#domain/lifecycle.ts';
import type { Caller, Partner, Subscription, Transfer, TransferStatus } from '#domain/model.ts';
import { isTransferableProductType } from '#domain/product-types.ts';
import { transferProgress } from '#domain/progress.ts';
import {
  cancelTransfer,
  createTransfer,
  setTransferLineItems,
  submitTransfer,
} from '#domain/transfer-commands.ts';
import {
  CUSTOMER_ID,
  caller,
  DAY_MS,
  lookupsFor,
  OUTSIDER,
  partnerById,
  relationship,
  SOURCE,
  subscription,
  T0,
  TARGET,
  TARGET_RESELLER,
} from './fixtures.ts';

const SUBSCRIPTIONS: Subscription[] = [
  subscription('s1'),
  subscription('s2', { productType: 'AzureSubscription', quantity: 1 }),
  subscription('s3', { productType: 'AzureReservation', quantity: 2 }),
  subscription('s4', { productType: 'SoftwareSubscription' }),
  subscription('s5', { openTransferId: 'another-transfer' }),
];

const ACTORS: { caller: Caller; partner: Partner | undefined; label: string }[] = [
  { label: 'source admin', caller: caller(SOURCE.tenantId, ['AdminAgent']), partner: SOURCE },
  { label: 'source sales', caller: caller(SOURCE.tenantId, ['SalesAgent']), partner: SOURCE },
  { label: 'target admin', caller: caller(TARGET.tenantId, ['AdminAgent']), partner: TARGET },
  { label: 'target helpdesk', caller: caller(TARGET.tenantId, ['HelpdeskAgent']), partner: TARGET },
  {
    label: 'reseller admin',
    caller: caller(TARGET_RESELLER.tenantId, ['AdminAgent']),
    partner: TARGET_RESELLER,
  },
  { label: 'outsider admin', caller: caller(OUTSIDER.tenantId, ['AdminAgent']), partner: OUTSIDER },
];
const SOURCE_ADMIN = 0;
const TARGET_ADMIN = 2;

type Operation =
  | { op: 'setLineItems'; actor: number; picks: { sub: number; quantity: number | undefined }[] }
  | { op: 'submit'; actor: number }
  | { op: 'cancel'; actor: number }
  | { op: 'expire' }
  | { op: 'startMoving' }
  | { op: 'attempt'; item: number }
  | { op: 'itemMoved'; item: number }
  | { op: 'itemFailed'; item: number; permanent: boolean }
  | { op: 'finalise' };

type Step = { operation: Operation; advanceMs: number };

// Source admins and the happy path are favoured so that runs get past Active often.
const actorArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(SOURCE_ADMIN) },
  { weight: 2, arbitrary: fc.constant(TARGET_ADMIN) },
  { weight: 2, arbitrary: fc.nat({ max: ACTORS.length - 1 }) },
);

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('setLineItems' as const),
      actor: actorArb,
      picks: fc.oneof(
        // Mostly valid picks (all or nothing: one bad pick refuses the whole update)...
        {
          weight: 6,
          arbitrary: fc.uniqueArray(
            fc.record({ sub: fc.nat({ max: 2 }), quantity: fc.constantFrom(undefined, 1) }),
            {
              selector: (pick) => pick.sub,
              minLength: 1,
              maxLength: 3,
            },
          ),
        },
        // ...sometimes anything: duplicates, an unknown subscription one past the end, silly quantities, nothing.
        {
          weight: 1,
          arbitrary: fc.array(
            fc.record({
              sub: fc.nat({ max: SUBSCRIPTIONS.length }),
              quantity: fc.option(fc.integer({ min: -1, max: 12 }), { nil: undefined }),
            }),
            { maxLength: 4 },
          ),
        },
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('submit' as const), actor: actorArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), actor: actorArb }) },
  { weight: 1, arbitrary: fc.constant({ op: 'expire' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'startMoving' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('attempt' as const), item: fc.nat({ max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('itemMoved' as const), item: fc.nat({ max: 5 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('itemFailed' as const),
      item: fc.nat({ max: 5 }),
      permanent: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'finalise' as const }) },
);

// Mostly small steps, sometimes days (to cross the 30-day window), sometimes a clock that runs backwards.
const advanceArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 60 * 60 * 1000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 12 * DAY_MS }) },
  { weight: 1, arbitrary: fc.integer({ min: -60 * 60 * 1000, max: 0 }) },
);

const scenarioArb = fc.record({
  creator: fc.nat({ max: ACTORS.length - 1 }),
  windowDays: fc.constantFrom(1, 30),
  steps: fc.array(fc.record({ operation: operationArb, advanceMs: advanceArb }), {
    maxLength: 40,
    size: 'max',
  }),
});

function create(actorIndex: number, windowDays: number): Result<Transfer> {
  const actor = ACTORS[actorIndex]!;
  return createTransfer({
    id: 'tr-prop',
    now: T0,
    acceptanceWindowDays: windowDays,
    customerId: CUSTOMER_ID,
    caller: actor.caller,
    callerPartner: actor.partner,
    request: {
      sourcePartnerTenantId: SOURCE.tenantId,
      sourcePartnerName: SOURCE.name,
      customerEmailId: 'c@x',
    },
    sourcePartner: SOURCE,
    // The customer is related to the target only, so nobody else can become a target.
    targetRelationship: relationship(TARGET.tenantId),
    sourceRelationship: relationship(SOURCE.tenantId),
    customerSubscriptions: SUBSCRIPTIONS,
    partnerById,
  });
}

function perform(transfer: Transfer, operation: Operation, now: Date): Result<Transfer> {
  const lookups = lookupsFor(SUBSCRIPTIONS);
  const itemId = (index: number) =>
    transfer.lineItems[index % Math.max(1, transfer.lineItems.length)]?.id ?? 'none';
  const event = (e: TransferEvent) => applyTransferEvent(transfer, e, now);
  switch (operation.op) {
    case 'setLineItems': {
      const actor = ACTORS[operation.actor]!;
      const lineItems = operation.picks.map(({ sub, quantity }) => ({
        subscriptionId: SUBSCRIPTIONS[sub]?.subscriptionId ?? 'unknown',
        ...(quantity !== undefined ? { quantity } : {}),
      }));
      const r = setTransferLineItems({
        caller: actor.caller,
        callerPartner: actor.partner,
        transfer,
        now,
        lineItems,
        ...lookups,
      });
      return r.ok ? { ok: true, value: r.value.transfer } : r;
    }
    case 'submit': {
      const actor = ACTORS[operation.actor]!;
      return submitTransfer({ caller: actor.caller, callerPartner: actor.partner, transfer, now });
    }
    case 'cancel': {
      const actor = ACTORS[operation.actor]!;
      return cancelTransfer({ caller: actor.caller, callerPartner: actor.partner, transfer, now });
    }
    case 'expire':
      return event({ type: 'Expire' });
    case 'startMoving':
      return event({ type: 'StartMoving' });
    case 'attempt':
      return event({ type: 'LineItemAttemptStarted', lineItemId: itemId(operation.item) });
    case 'itemMoved':
      return event({ type: 'LineItemMoved', lineItemId: itemId(operation.item) });
    case 'itemFailed':
      return event({
        type: 'LineItemFailed',
        lineItemId: itemId(operation.item),
        error: { code: 'MoveFailed', description: 'The move failed.' },
        permanent: operation.permanent,
      });
    case 'finalise':
      return event({ type: 'Finalise' });
  }
}

const ACCEPTED_OR_LATER: readonly TransferStatus[] = [
  'Accepted',
  'InProgress',
  'Complete',
  'CompletedWithErrors',
];

/** A plain throw: this runs tens of thousands of times per test, where `expect` would dominate the run time. */
function invariant(condition: boolean, message: string, context: unknown): void {
  if (!condition) throw new Error(`${message}\n${JSON.stringify(context, null, 2)}`);
}

const isSettled = (status: string) => status === 'Complete' || status === 'Failed';

/** What must hold of any transfer the domain ever produces. */
function checkState(t: Transfer): void {
  const progress = transferProgress(t);
  const items = t.lineItems;
  invariant(progress.moved + progress.failed <= progress.total, 'counts exceed the total', t);
  invariant(progress.moved === items.filter((i) => i.status === 'Complete').length, 'moved miscounted', t);
  invariant(new Set(items.map((i) => i.id)).size === items.length, 'duplicate line item ids', t);
  invariant(new Set(items.map((i) => i.subscriptionId)).size === items.length, 'duplicate subscriptions', t);
  invariant(Date.parse(t.lastModifiedTime) >= Date.parse(t.createdTime), 'modified before created', t);

  for (const item of items) {
    invariant(isTransferableProductType(item.productType), 'non-transferable item', t);
    invariant(item.quantity >= 1, 'item quantity below 1', t);
    invariant(item.status !== 'Complete' || item.completedTime !== undefined, 'Complete without time', t);
    invariant(item.status !== 'Failed' || item.transferError !== undefined, 'Failed without error', t);
    invariant(!isSettled(item.status) || item.attempts >= 1, 'settled without an attempt', t);
  }

  if (t.status === 'Active' || t.status === 'Accepted') {
    invariant(
      items.every((i) => i.status === 'Pending' && i.attempts === 0),
      'items moved before InProgress',
      t,
    );
  }
  if (t.status === 'Complete') {
    invariant(
      items.length > 0 && items.every((i) => i.status === 'Complete'),
      'Complete with unmoved items',
      t,
    );
  }
  if (t.status === 'CompletedWithErrors') {
    invariant(
      items.every((i) => isSettled(i.status)),
      'CompletedWithErrors with unsettled items',
      t,
    );
    invariant(progress.failed > 0, 'CompletedWithErrors without a failed item', t);
  }
  invariant(
    (t.acceptedTime !== undefined) === ACCEPTED_OR_LATER.includes(t.status),
    'acceptedTime does not match the status',
    t,
  );
  if (t.acceptedTime !== undefined) {
    invariant(items.length > 0, 'accepted without line items', t);
    invariant(Date.parse(t.acceptedTime) < Date.parse(t.expirationTime), 'accepted after expiry', t);
  }
  invariant(
    (t.completedTime !== undefined) === (t.status === 'Complete' || t.status === 'CompletedWithErrors'),
    'completedTime does not match the status',
    t,
  );
  if (t.completedTime !== undefined && t.acceptedTime !== undefined) {
    invariant(Date.parse(t.completedTime) >= Date.parse(t.acceptedTime), 'completed before accepted', t);
  }
  if (t.status === 'Expired') {
    invariant(isPastExpiration(t, new Date(t.lastModifiedTime)), 'expired inside the window', t);
  }
}

/** What must hold of one step from `before` to the outcome. */
function checkStep(
  before: Transfer,
  step: Step,
  actorLabel: string | undefined,
  outcome: Result<Transfer>,
): void {
  const context = { before, step, actorLabel, outcome };
  if (!outcome.ok) {
    invariant(
      outcome.error.status === DOMAIN_ERRORS[outcome.error.code].status,
      'status hint mismatch',
      context,
    );
    return;
  }
  const after = outcome.value;
  invariant(!isTerminal(before.status), 'a terminal transfer changed', context);
  if (after === before) return;

  invariant(after.version === before.version + 1, 'version not bumped by one', context);
  invariant(
    Date.parse(after.lastModifiedTime) >= Date.parse(before.lastModifiedTime),
    'lastModifiedTime went back',
    context,
  );
  for (const key of [
    'id',
    'createdTime',
    'expirationTime',
    'sourcePartnerTenantId',
    'targetPartnerTenantId',
  ] as const) {
    invariant(after[key] === before[key], `${key} changed`, context);
  }
  if (after.status !== before.status) {
    invariant(canTransition(before.status, after.status), 'illegal status transition', context);
    invariant(
      after.status !== 'Canceled' || actorLabel === 'target admin',
      'canceled by someone else',
      context,
    );
    invariant(
      after.status !== 'Accepted' || actorLabel === 'source admin',
      'accepted by someone else',
      context,
    );
  }
  if (step.operation.op === 'setLineItems') {
    invariant(actorLabel === 'source admin', 'line items set by someone else', context);
  }

  if (before.status !== 'Active') {
    // After acceptance the set of items is frozen; each item only moves forward.
    const shape = (t: Transfer) =>
      JSON.stringify(t.lineItems.map((i) => [i.id, i.subscriptionId, i.quantity]));
    invariant(shape(after) === shape(before), 'line items changed after acceptance', context);
    before.lineItems.forEach((old, index) => {
      const current = after.lineItems[index]!;
      invariant(current.attempts >= old.attempts, 'attempts went down', context);
      invariant(
        !isSettled(old.status) || JSON.stringify(current) === JSON.stringify(old),
        'a settled item changed',
        context,
      );
    });
  }
}

function actorLabelOf(operation: Operation): string | undefined {
  return 'actor' in operation ? ACTORS[operation.actor]!.label : undefined;
}

/** Runs a scenario, checking every step; returns the statuses it went through. */
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function simulate(scenario: Scenario): Set<TransferStatus> {
  const created = create(scenario.creator, scenario.windowDays);
  invariant(created.ok === (scenario.creator === TARGET_ADMIN), 'only the target admin may create', created);
  const start = created.ok ? created : create(TARGET_ADMIN, scenario.windowDays);
  if (!start.ok) throw new Error(`the target admin must be able to create: ${start.error.code}`);
  let transfer = start.value;
  let clock = T0.getTime();
  const seen = new Set<TransferStatus>([transfer.status]);
  checkState(transfer);

  for (const step of scenario.steps) {
    clock += step.advanceMs;
    const outcome = perform(transfer, step.operation, new Date(clock));
    checkStep(transfer, step, actorLabelOf(step.operation), outcome);
    if (outcome.ok) transfer = outcome.value;
    checkState(transfer);
    seen.add(transfer.status);
  }
  return seen;
}

describe('transfer lifecycle under random operations', () => {
  it('never reaches an illegal state', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        simulate(scenario);
      }),
      { numRuns: 500 },
    );
  });

  it('the generator reaches every status (fixed seed, so this check is deterministic)', () => {
    const reached = new Set<TransferStatus>();
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        for (const status of simulate(scenario)) reached.add(status);
      }),
      { numRuns: 300, seed: 20260101 },
    );
    expect([...reached].sort()).toEqual(
      ['Accepted', 'Active', 'Canceled', 'Complete', 'CompletedWithErrors', 'Expired', 'InProgress'].sort(),
    );
  });
});
