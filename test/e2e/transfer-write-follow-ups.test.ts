// The paths of the write routes that only a crash or a refusal takes, through every route that can take them (the
// aliases included: each route is its own function with its own role):
//   - a refusal that depends on who asks (403) is not remembered: the MS-RequestId record is dropped again;
//   - a call refused because a status change already won completes the winner's follow-ups that a crash left undone:
//     it resumes the workflow's acceptance wait with the stored token and writes the winner's audit entry.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TransferStatus } from '#domain/model.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import type { TestCloud } from '#test/support/local-cloud.ts';
import { eventually, executionArnOf, finishedExecution, sfnClient } from '#test/workflow/support.ts';
import { storeTransfer } from './support/seeded-transfers.ts';
import {
  type Actor,
  SANDBOX_ADMINS,
  startTransferWriteCloud,
  stopWhenWorkflowsAreIdle,
  storedTransfer,
  type TransferApi,
} from './transfer-write-helpers.ts';

const T = SANDBOX_TENANTS;
const WOODGROVE = SANDBOX_CUSTOMERS.woodgrove;
const { contoso, fabrikam } = SANDBOX_ADMINS;

let cloud: TestCloud;
let api: TransferApi;

beforeAll(async () => {
  ({ cloud, api } = await startTransferWriteCloud());
  return () => stopWhenWorkflowsAreIdle(cloud);
});

async function auditOperations(tenantId: string, transferId: string) {
  const page = await cloud.storage.audit.list(tenantId, { transferId });
  return page.items.map((record) => record.operation);
}

/**
 * A transfer of Woodgrove from Contoso to Fabrikam whose status change to `status` was written by a call that then
 * crashed: its workflow's acceptance wait (an ended one: its token is no longer valid) was never resumed, no audit.
 */
async function crashedStatusChange(status: Extract<TransferStatus, 'Accepted' | 'Canceled'>) {
  const transfer = await storeTransfer(cloud.storage, {
    customerId: WOODGROVE,
    sourceTenantId: T.contoso,
    targetTenantId: T.fabrikam,
    createdAt: new Date(),
  });
  await cloud.storage.transfers.storeAcceptanceToken(WOODGROVE, transfer.id, `ended-wait-${randomUUID()}`);
  const at = new Date().toISOString();
  const winner = status === 'Accepted' ? contoso : fabrikam;
  await cloud.storage.transfers.changeStatus(WOODGROVE, transfer.id, {
    from: ['Active'],
    to: status,
    set: {
      lastModifiedTime: at,
      lastModifiedUser: winner.userId,
      ...(status === 'Accepted' ? { acceptedTime: at } : {}),
    },
  });
  return transfer;
}

describe('write routes on the paths of crashes and refusals', () => {
  it('drops the MS-RequestId record of a 403 on every write route, so the retry runs again', async () => {
    const created = await api.create(fabrikam, WOODGROVE, T.contoso);
    expect(created.status).toBe(201);
    const path = api.transferPath(WOODGROVE, created.body.id);
    const sourceSales: Actor = { tenantId: T.contoso, role: 'SalesAgent' };
    const targetSales: Actor = { tenantId: T.fabrikam, role: 'SalesAgent' };
    const refusals = [
      {
        actor: targetSales,
        method: 'POST',
        path: api.transfersPath(WOODGROVE),
        body: api.createBody(WOODGROVE, T.contoso),
      },
      { actor: sourceSales, method: 'PATCH', path, body: { lineItems: [{ subscriptionId: randomUUID() }] } },
      { actor: sourceSales, method: 'POST', path: `${path}/submit` },
      { actor: sourceSales, method: 'POST', path: `${path}/accept` },
      { actor: targetSales, method: 'POST', path: `${path}/cancel` },
      { actor: targetSales, method: 'DELETE', path },
    ];
    for (const { actor, method, path: target, body } of refusals) {
      const requestId = randomUUID();
      const options = { requestId, ...(body ? { body } : {}) };
      const first = await api.call(actor, method, target, options);
      const retry = await api.call(actor, method, target, options);
      expect([method, target, first.status, retry.status]).toEqual([method, target, 403, 403]);
      expect(retry.headers.get('ms-idempotent-replay'), `${method} ${target}`).toBeNull();
    }
    expect((await storedTransfer(cloud, WOODGROVE, created.body.id)).status).toBe('Active');
  });

  /** Every route that can change a transfer's status, as its caller (the source accepts, the target cancels). */
  const statusRoutes: [string, (id: string) => Promise<{ status: number; body: { code?: string } }>][] = [
    ['POST …/submit', (id) => api.submit(contoso, WOODGROVE, id)],
    ['POST …/accept', (id) => api.call(contoso, 'POST', `${api.transferPath(WOODGROVE, id)}/accept`)],
    [
      'PATCH "Accepted"',
      (id) => api.call(contoso, 'PATCH', api.transferPath(WOODGROVE, id), { body: { status: 'Accepted' } }),
    ],
    ['POST …/cancel', (id) => api.cancel(fabrikam, WOODGROVE, id)],
    ['DELETE', (id) => api.call(fabrikam, 'DELETE', api.transferPath(WOODGROVE, id))],
  ];

  it('a late call on any status route completes a crashed acceptance: token sent back, acceptance audited', async () => {
    for (const [route, late] of statusRoutes) {
      const transfer = await crashedStatusChange('Accepted');
      const answer = await late(transfer.id);
      expect([route, answer.status]).toEqual([route, 409]);
      expect(await auditOperations(T.contoso, transfer.id), route).toContain('TransferAccepted');
      expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).status).toBe('Accepted');
    }
  });

  it('a late call on any status route completes a crashed cancellation: token sent back, cancellation audited', async () => {
    for (const [route, late] of statusRoutes) {
      const transfer = await crashedStatusChange('Canceled');
      const answer = await late(transfer.id);
      expect([route, answer.status, answer.body.code]).toEqual([route, 409, 'TransferTerminal']);
      expect(await auditOperations(T.fabrikam, transfer.id), route).toContain('TransferCanceled');
      expect((await storedTransfer(cloud, WOODGROVE, transfer.id)).status).toBe('Canceled');
    }
  });

  it('DELETE of a transfer whose workflow waits for acceptance ends that wait at once', async () => {
    const created = await api.create(fabrikam, WOODGROVE, T.contoso);
    expect(created.status).toBe(201);
    const id = created.body.id;
    await eventually(
      async () =>
        (await cloud.storage.transfers.getStatusAndAcceptanceToken(WOODGROVE, id))?.acceptanceTaskToken,
    );
    const deleted = await api.call(fabrikam, 'DELETE', api.transferPath(WOODGROVE, id));
    expect([deleted.status, deleted.body.status]).toEqual([200, 'Canceled']);
    const execution = await finishedExecution(sfnClient(cloud), executionArnOf(id));
    expect(execution.status).toBe('SUCCEEDED');
    expect((await storedTransfer(cloud, WOODGROVE, id)).status).toBe('Canceled');
  });
});
