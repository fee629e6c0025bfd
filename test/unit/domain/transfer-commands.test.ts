import { describe, expect, it } from 'vitest';
import type { Result } from '#domain/errors.ts';
import type { Transfer } from '#domain/model.ts';
import {
  cancelTransfer,
  createTransfer,
  readTransfer,
  setTransferLineItems,
  submitTransfer,
} from '#domain/transfer-commands.ts';
import {
  activeTransfer,
  at,
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
} from './fixtures.ts';

function codeOf<T>(result: Result<T>): string {
  return result.ok ? 'ok' : result.error.code;
}

const SUBS = [subscription('s1'), subscription('s2', { productType: 'AzureSubscription', quantity: 1 })];
const SOON = at(DAY_MS);
const LATE = at(40 * DAY_MS);

describe('createTransfer', () => {
  const command = {
    id: 'tr-9',
    now: T0,
    customerId: CUSTOMER_ID,
    caller: caller(TARGET.tenantId),
    callerPartner: TARGET,
    request: {
      sourcePartnerTenantId: SOURCE.tenantId,
      sourcePartnerName: SOURCE.name,
      customerEmailId: 'c@x',
    },
    sourcePartner: SOURCE,
    targetRelationship: relationship(TARGET.tenantId),
    sourceRelationship: relationship(SOURCE.tenantId),
    customerSubscriptions: SUBS,
    partnerById,
  };

  it('builds the transfer when authorized and the prerequisites hold', () => {
    const r = createTransfer(command);
    expect(r.ok && r.value).toMatchObject({
      id: 'tr-9',
      status: 'Active',
      targetPartnerTenantId: TARGET.tenantId,
    });
  });

  it('authorization comes before prerequisites', () => {
    const r = createTransfer({
      ...command,
      caller: caller(TARGET.tenantId, ['SalesAgent']),
      targetRelationship: undefined,
    });
    expect(codeOf(r)).toBe('AdminAgentRequired');
  });

  it('reports the first failing prerequisite', () => {
    expect(codeOf(createTransfer({ ...command, targetRelationship: undefined }))).toBe(
      'NoCustomerRelationship',
    );
  });

  it('refuses a tenant that is not a partner', () => {
    expect(codeOf(createTransfer({ ...command, callerPartner: undefined }))).toBe('CallerNotAPartner');
  });
});

describe('setTransferLineItems', () => {
  const base = {
    caller: caller(SOURCE.tenantId),
    callerPartner: SOURCE,
    transfer: activeTransfer(),
    now: SOON,
    ...lookupsFor(SUBS),
  };

  it('sets the eligible line items and returns the verdicts', () => {
    const r = setTransferLineItems({
      ...base,
      lineItems: [{ subscriptionId: 's1', quantity: 4 }, { subscriptionId: 's2' }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.transfer.lineItems.map((i) => [i.subscriptionId, i.quantity])).toEqual([
      ['s1', 4],
      ['s2', 1],
    ]);
    expect(r.value.verdicts.every((v) => v.eligible)).toBe(true);
    expect(r.value.transfer.lastModifiedUser).toBe(`${SOURCE.tenantId}-user`);
  });

  it('is all or nothing: one refused item refuses the update and names it', () => {
    const r = setTransferLineItems({
      ...base,
      lineItems: [{ subscriptionId: 's1' }, { subscriptionId: 'ghost' }],
    });
    expect(codeOf(r)).toBe('LineItemsRefused');
    expect(!r.ok && r.error.details).toEqual([
      { code: 'SubscriptionNotFound', description: expect.any(String), target: 'ghost' },
    ]);
  });

  it('refuses an empty list', () => {
    expect(codeOf(setTransferLineItems({ ...base, lineItems: [] }))).toBe('NoLineItems');
  });

  it.each([
    [
      'an outsider (404 before anything else)',
      { caller: caller(OUTSIDER.tenantId), callerPartner: OUTSIDER },
      'TransferNotFound',
    ],
    ['the target', { caller: caller(TARGET.tenantId), callerPartner: TARGET }, 'NotSourcePartner'],
    ['a non-admin of the source', { caller: caller(SOURCE.tenantId, ['SalesAgent']) }, 'AdminAgentRequired'],
    ['the source after expiry (409 before content)', { now: LATE }, 'TransferExpired'],
    ['the source once submitted', { transfer: activeTransfer({ status: 'Accepted' }) }, 'TransferNotActive'],
    ['the source once canceled', { transfer: activeTransfer({ status: 'Canceled' }) }, 'TransferTerminal'],
  ])('refuses %s -> %s', (_name, overrides, code) => {
    const r = setTransferLineItems({ ...base, ...overrides, lineItems: [{ subscriptionId: 'ghost' }] });
    expect(codeOf(r)).toBe(code);
  });
});

describe('submitTransfer', () => {
  function withItems(): Transfer {
    const r = setTransferLineItems({
      caller: caller(SOURCE.tenantId),
      callerPartner: SOURCE,
      transfer: activeTransfer(),
      now: SOON,
      lineItems: [{ subscriptionId: 's1' }],
      ...lookupsFor(SUBS),
    });
    if (!r.ok) throw new Error(r.error.code);
    return r.value.transfer;
  }
  const base = { caller: caller(SOURCE.tenantId), callerPartner: SOURCE, now: SOON };

  it('accepts a transfer with eligible line items', () => {
    const r = submitTransfer({ ...base, transfer: withItems() });
    expect(r.ok && r.value.status).toBe('Accepted');
  });

  it('needs line items', () => {
    expect(codeOf(submitTransfer({ ...base, transfer: activeTransfer() }))).toBe('NoLineItems');
  });

  it('does not judge the items again (they were judged when set): it needs no subscription to decide', () => {
    const r = submitTransfer({ ...base, transfer: withItems() });
    expect(r.ok && r.value.lineItems.map((item) => item.subscriptionId)).toEqual(
      withItems().lineItems.map((item) => item.subscriptionId),
    );
  });

  it('a second submit gets a 409', () => {
    const first = submitTransfer({ ...base, transfer: withItems() });
    if (!first.ok) throw new Error(first.error.code);
    const second = submitTransfer({ ...base, transfer: first.value });
    expect(!second.ok && [second.error.code, second.error.status]).toEqual(['TransferNotActive', 409]);
  });

  it('the target may not submit', () => {
    const r = submitTransfer({
      ...base,
      caller: caller(TARGET.tenantId),
      callerPartner: TARGET,
      transfer: withItems(),
    });
    expect(codeOf(r)).toBe('NotSourcePartner');
  });

  it('after expiry -> TransferExpired', () => {
    expect(codeOf(submitTransfer({ ...base, now: LATE, transfer: withItems() }))).toBe('TransferExpired');
  });
});

describe('cancelTransfer and readTransfer', () => {
  const target = { caller: caller(TARGET.tenantId), callerPartner: TARGET };

  it('the target cancels a pending transfer', () => {
    const r = cancelTransfer({ ...target, transfer: activeTransfer(), now: SOON });
    expect(r.ok && r.value.status).toBe('Canceled');
  });

  it('a canceled transfer can no longer be accepted', () => {
    const canceled = cancelTransfer({ ...target, transfer: activeTransfer(), now: SOON });
    if (!canceled.ok) throw new Error(canceled.error.code);
    const r = submitTransfer({
      caller: caller(SOURCE.tenantId),
      callerPartner: SOURCE,
      transfer: canceled.value,
      now: SOON,
    });
    expect(codeOf(r)).toBe('TransferTerminal');
  });

  it.each([
    ['the source', caller(SOURCE.tenantId), 'NotTargetPartner'],
    ['an outsider', caller(OUTSIDER.tenantId), 'TransferNotFound'],
    ['a sales agent of the target', caller(TARGET.tenantId, ['SalesAgent']), 'AdminAgentRequired'],
  ])('refuses %s -> %s', (_name, who, code) => {
    expect(codeOf(cancelTransfer({ caller: who, transfer: activeTransfer(), now: SOON }))).toBe(code);
  });

  it('reads for any role of either party, 404 for others', () => {
    const transfer = activeTransfer();
    expect(readTransfer({ caller: caller(SOURCE.tenantId, ['HelpdeskAgent']), transfer })).toEqual({
      ok: true,
      value: transfer,
    });
    expect(codeOf(readTransfer({ caller: caller(OUTSIDER.tenantId), transfer }))).toBe('TransferNotFound');
  });
});
