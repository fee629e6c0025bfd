// Submit and cancel against in-memory ports: the races and crashes that HTTP tests can only hit by luck, put exactly
// between two writes here.
import { describe, expect, it } from 'vitest';
import { awaitAcceptance } from '#application/await-acceptance.ts';
import {
  CUSTOMER_ID,
  caller,
  OTHER_RESELLER,
  SOURCE,
  TARGET,
  TARGET_RESELLER,
} from '#test/unit/domain/fixtures.ts';
import {
  actionOn,
  activeTransfer,
  auditOperations,
  beforeNext,
  claimOf,
  createRequest,
  SOURCE_ADMIN,
  TARGET_ADMIN,
  TOKEN,
  world,
} from './fixtures.ts';

describe('submit and cancel race for a pending transfer', () => {
  it('a cancel that wins while a submit is in flight: the submit gets 409 TransferTerminal, claims are released', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
    beforeNext(w.storage.transfers, 'changeStatus', () =>
      w.useCases.cancel(actionOn(transfer, TARGET_ADMIN)),
    );

    await expect(w.useCases.submit(actionOn(transfer))).rejects.toMatchObject({ code: 'TransferTerminal' });

    expect((await w.storage.transfers.get(transfer.customerTenantId, transfer.id))?.status).toBe('Canceled');
    // The submit claimed both subscriptions again before it lost; the loser gives them back.
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([undefined, undefined]);
    expect(w.workflow.resumed).toEqual([{ token: TOKEN, as: 'cancel' }]);
    expect(auditOperations(w, transfer.id, TARGET.tenantId)).toEqual(['TransferCanceled', 'TransferCreated']);
    expect(auditOperations(w, transfer.id, SOURCE.tenantId)).not.toContain('TransferAccepted');
  });

  it('a submit that wins while a cancel is in flight: the cancel gets 409 TransferNotActive, claims stay', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
    beforeNext(w.storage.transfers, 'changeStatus', () => w.useCases.submit(actionOn(transfer)));

    await expect(w.useCases.cancel(actionOn(transfer, TARGET_ADMIN))).rejects.toMatchObject({
      code: 'TransferNotActive',
    });

    expect((await w.storage.transfers.get(transfer.customerTenantId, transfer.id))?.status).toBe('Accepted');
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([transfer.id, transfer.id]);
    expect(w.workflow.resumed).toEqual([{ token: TOKEN, as: 'accept' }]);
    expect(auditOperations(w, transfer.id, SOURCE.tenantId)).toContain('TransferAccepted');
    expect(auditOperations(w, transfer.id, TARGET.tenantId)).not.toContain('TransferCanceled');
  });

  it('a duplicate submit gets 409 TransferNotActive; the workflow is resumed once and audited once', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    const accepted = await w.useCases.submit(actionOn(transfer));
    expect(accepted).toMatchObject({ status: 'Accepted', acceptedTime: expect.any(String) });

    await expect(w.useCases.submit(actionOn(transfer))).rejects.toMatchObject({
      code: 'TransferNotActive',
      status: 409,
    });
    expect(w.workflow.resumed).toEqual([{ token: TOKEN, as: 'accept' }]);
    const acceptances = [...w.storage.audit.records.values()].filter(
      (record) => record.operation === 'TransferAccepted',
    );
    expect(acceptances).toEqual([
      expect.objectContaining({ partnerTenantId: SOURCE.tenantId, actor: SOURCE_ADMIN.userId }),
    ]);
  });

  it('a submit before the workflow stored its token accepts without resuming (the wait sees Accepted)', async () => {
    const w = world();
    const { transfer } = await w.useCases.create({
      caller: TARGET_ADMIN,
      customerId: 'cust-1',
      request: {
        sourcePartnerTenantId: SOURCE.tenantId,
        sourcePartnerName: SOURCE.name,
        customerEmailId: 'a@b.c',
      },
    });
    await w.useCases.setLineItems({ ...actionOn(transfer), lineItems: [{ subscriptionId: 'sub-0' }] });
    expect((await w.useCases.submit(actionOn(transfer))).status).toBe('Accepted');
    expect(w.workflow.resumed).toEqual([]);
  });
});

describe('a crash between the status change and its follow-ups is completed by the next call', () => {
  it('submit: the retry gets 409, resumes the workflow and writes the audit entry naming the winner', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0']);
    w.workflow.failNext = 'accept';
    await expect(w.useCases.submit(actionOn(transfer))).rejects.toThrow('simulated crash at accept');
    expect((await w.storage.transfers.get(transfer.customerTenantId, transfer.id))?.status).toBe('Accepted');
    expect(auditOperations(w, transfer.id, SOURCE.tenantId)).not.toContain('TransferAccepted');

    const retryBy = { ...SOURCE_ADMIN, userId: 'another-source-admin' };
    await expect(w.useCases.submit(actionOn(transfer, retryBy))).rejects.toMatchObject({
      code: 'TransferNotActive',
    });
    expect(w.workflow.resumed).toEqual([{ token: TOKEN, as: 'accept' }]);
    const acceptance = [...w.storage.audit.records.values()].find(
      (record) => record.operation === 'TransferAccepted',
    );
    expect(acceptance?.actor).toBe(SOURCE_ADMIN.userId);
  });

  it('cancel: the retry gets 409, fails the wait, releases the claims and writes the audit entry', async () => {
    const w = world();
    const transfer = await activeTransfer(w, ['sub-0', 'sub-1']);
    w.workflow.failNext = 'cancel';
    await expect(w.useCases.cancel(actionOn(transfer, TARGET_ADMIN))).rejects.toThrow('simulated crash');
    expect(claimOf(w, 'sub-0')).toBe(transfer.id);

    await expect(w.useCases.cancel(actionOn(transfer, TARGET_ADMIN))).rejects.toMatchObject({
      code: 'TransferTerminal',
    });
    expect(w.workflow.resumed).toEqual([{ token: TOKEN, as: 'cancel' }]);
    expect([claimOf(w, 'sub-0'), claimOf(w, 'sub-1')]).toEqual([undefined, undefined]);
    expect(auditOperations(w, transfer.id, TARGET.tenantId)).toContain('TransferCanceled');
  });
});

describe('who may submit, judged from the header where it decides', () => {
  /** A transfer whose only mention of TARGET_RESELLER is one line item's partner of record. */
  async function namingTheResellerOnALineItem() {
    const w = world();
    await w.storage.directory.putPartner(TARGET_RESELLER);
    await w.storage.directory.putPartner(OTHER_RESELLER);
    const { transfer } = await w.useCases.create({
      caller: TARGET_ADMIN,
      customerId: CUSTOMER_ID,
      request: createRequest,
    });
    await w.useCases.setLineItems({
      ...actionOn(transfer),
      lineItems: [{ subscriptionId: 'sub-0', partnerIdOnRecord: TARGET_RESELLER.partnerId }],
    });
    await awaitAcceptance(w.deps, { customerId: CUSTOMER_ID, transferId: transfer.id, taskToken: TOKEN });
    return { w, transfer };
  }

  it('a reseller named by a line item only is told to act through its provider (the line items decide)', async () => {
    const { w, transfer } = await namingTheResellerOnALineItem();
    await expect(
      w.useCases.submit(actionOn(transfer, caller(TARGET_RESELLER.tenantId))),
    ).rejects.toMatchObject({ code: 'ResellerMustActThroughProvider' });
    await expect(
      w.useCases.submit(actionOn(transfer, caller(OTHER_RESELLER.tenantId))),
    ).rejects.toMatchObject({ code: 'TransferNotFound' });
    await expect(w.useCases.submit(actionOn(transfer, TARGET_ADMIN))).rejects.toMatchObject({
      code: 'NotSourcePartner',
    });
    expect((await w.storage.transfers.getHeader(CUSTOMER_ID, transfer.id))?.status).toBe('Active');
    expect(w.workflow.resumed).toEqual([]);
  });

  it('the source is judged from the header alone and gets the accepted header back', async () => {
    const { w, transfer } = await namingTheResellerOnALineItem();
    const accepted = await w.useCases.submit(actionOn(transfer));
    expect(accepted).toMatchObject({ id: transfer.id, status: 'Accepted', lineItemCount: 1 });
    expect(accepted).not.toHaveProperty('lineItems');
  });
});
