// Which partners may create transfers to whom, over HTTP: every supported path goes all the way to an accepted
// transfer; every unsupported path and missing prerequisite is refused with its own code before anything is stored.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import type { TestCloud } from '#test/support/local-cloud.ts';
import {
  ACCEPTED_OR_LATER,
  type Actor,
  seedSubscription,
  startTransferWriteCloud,
  stopWhenWorkflowsAreIdle,
  storedTransfer,
  type TransferApi,
} from './transfer-write-helpers.ts';

const T = SANDBOX_TENANTS;
const C = SANDBOX_CUSTOMERS;
const admin = (tenantId: string): Actor => ({ tenantId, userId: `admin-of-${tenantId}` });

let cloud: TestCloud;
let api: TransferApi;

beforeAll(async () => {
  ({ cloud, api } = await startTransferWriteCloud());
  return () => stopWhenWorkflowsAreIdle(cloud);
});

async function storedTransferCount(customerId: string) {
  const page = await cloud.storage.transfers.listByCustomer(customerId, { limit: 1000 });
  return page.items.length;
}

describe('supported paths: created, line items set, submitted', () => {
  const paths = [
    { path: 'DirectBill -> DirectBill', customer: C.woodgrove, source: T.contoso, target: T.fabrikam },
    { path: 'DirectBill -> IndirectProvider', customer: C.woodgrove, source: T.contoso, target: T.northwind },
    {
      path: 'IndirectProvider -> IndirectProvider',
      customer: C.alpine,
      source: T.northwind,
      target: T.adatum,
    },
    { path: 'IndirectProvider -> DirectBill', customer: C.alpine, source: T.northwind, target: T.fabrikam },
  ];

  it.each(paths)('$path', async ({ customer, source, target }) => {
    const created = await api.create(admin(target), customer, source);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'Active',
      sourcePartnerTenantId: source,
      targetPartnerTenantId: target,
    });

    const subscription = await seedSubscription(cloud, customer, source, 'AzureSubscription', {
      quantity: 1,
    });
    const set = await api.setLineItems(admin(source), customer, created.body.id, [
      { subscriptionId: subscription.subscriptionId },
    ]);
    expect(set.status).toBe(200);
    const submitted = await api.submit(admin(source), customer, created.body.id);
    expect(submitted.status).toBe(202);
    expect(ACCEPTED_OR_LATER).toContain((await storedTransfer(cloud, customer, created.body.id)).status);
  });

  it('an indirect provider target may name its reseller as partner of record', async () => {
    const created = await api.create(admin(T.northwind), C.woodgrove, T.contoso, {
      extra: { partnerOnRecord: '3000005' },
    });
    expect(created.status).toBe(201);
    const subscription = await seedSubscription(cloud, C.woodgrove, T.contoso);
    const set = await api.setLineItems(admin(T.contoso), C.woodgrove, created.body.id, [
      { subscriptionId: subscription.subscriptionId },
    ]);
    expect(set.body.lineItems[0]?.partnerIdOnRecord).toBe('3000005');
  });
});

describe('refused creations (nothing is stored)', () => {
  const refusals: {
    case: string;
    caller: Actor;
    customer: string;
    source: string;
    extra?: Record<string, unknown>;
    status: number;
    code: string;
  }[] = [
    {
      case: 'a reseller as target',
      caller: admin(T.litware),
      customer: C.alpine,
      source: T.northwind,
      status: 403,
      code: 'ResellerMustActThroughProvider',
    },
    {
      case: 'a reseller as source',
      caller: admin(T.adatum),
      customer: C.alpine,
      source: T.litware,
      status: 422,
      code: 'UnsupportedTransferPath',
    },
    {
      case: 'a non-admin caller',
      caller: { tenantId: T.fabrikam, role: 'SalesAgent' },
      customer: C.woodgrove,
      source: T.contoso,
      status: 403,
      code: 'AdminAgentRequired',
    },
    {
      case: 'a helpdesk caller',
      caller: { tenantId: T.fabrikam, role: 'HelpdeskAgent' },
      customer: C.woodgrove,
      source: T.contoso,
      status: 403,
      code: 'AdminAgentRequired',
    },
    {
      case: 'a tenant that is not a partner',
      caller: admin(randomUUID()),
      customer: C.woodgrove,
      source: T.contoso,
      status: 403,
      code: 'CallerNotAPartner',
    },
    {
      case: 'a transfer to another partner than the caller',
      caller: admin(T.fabrikam),
      customer: C.woodgrove,
      source: T.contoso,
      extra: { targetPartnerTenantId: T.northwind },
      status: 403,
      code: 'NotTargetPartner',
    },
    {
      case: 'a target without a partner agreement (Tailspin)',
      caller: admin(T.tailspin),
      customer: C.woodgrove,
      source: T.contoso,
      status: 422,
      code: 'PartnerAgreementNotSigned',
    },
    {
      case: 'a customer without a customer agreement with the target (Trey and Contoso)',
      caller: admin(T.contoso),
      customer: C.trey,
      source: T.fabrikam,
      status: 422,
      code: 'CustomerAgreementNotSigned',
    },
    {
      case: 'a pending relationship (Alpine and Contoso)',
      caller: admin(T.contoso),
      customer: C.alpine,
      source: T.northwind,
      status: 422,
      code: 'NoCustomerRelationship',
    },
    {
      case: 'an unknown customer',
      caller: admin(T.fabrikam),
      customer: randomUUID(),
      source: T.contoso,
      status: 422,
      code: 'NoCustomerRelationship',
    },
    {
      case: 'a source that does not bill the customer',
      // Adatum has an active relationship with Woodgrove but bills none of its subscriptions (no test here moves
      // one to Adatum; the workflow may move others to Northwind and Fabrikam meanwhile).
      caller: admin(T.fabrikam),
      customer: C.woodgrove,
      source: T.adatum,
      status: 422,
      code: 'SourcePartnerDoesNotBillCustomer',
    },
    {
      case: 'the caller as its own source',
      caller: admin(T.contoso),
      customer: C.woodgrove,
      source: T.contoso,
      status: 422,
      code: 'SourceEqualsTarget',
    },
    {
      case: 'an unknown source',
      caller: admin(T.fabrikam),
      customer: C.woodgrove,
      source: randomUUID(),
      status: 422,
      code: 'SourcePartnerNotFound',
    },
    {
      case: 'a transfer type other than new commerce',
      caller: admin(T.fabrikam),
      customer: C.woodgrove,
      source: T.contoso,
      extra: { transferType: 1 },
      status: 422,
      code: 'UnsupportedTransferType',
    },
    {
      case: 'a reseller of another provider as partner of record',
      caller: admin(T.adatum),
      customer: C.woodgrove,
      source: T.contoso,
      extra: { partnerOnRecord: '3000005' },
      status: 422,
      code: 'PartnerOfRecordInvalid',
    },
    {
      case: 'a partner of record for a direct bill target',
      caller: admin(T.fabrikam),
      customer: C.woodgrove,
      source: T.contoso,
      extra: { partnerOnRecord: '3000005' },
      status: 422,
      code: 'PartnerOfRecordInvalid',
    },
  ];

  it.each(refusals)('$case: $status $code', async ({ caller, customer, source, extra, status, code }) => {
    const before = await storedTransferCount(customer);
    const answer = await api.create(caller, customer, source, extra ? { extra } : {});
    expect([answer.status, answer.body.code]).toEqual([status, code]);
    expect(await storedTransferCount(customer)).toBe(before);
  });

  it('refuses malformed bodies with 400 naming the field', async () => {
    const path = api.transfersPath(C.woodgrove);
    const body = api.createBody(C.woodgrove, T.contoso);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...body, sourcePartnerTenantId: 'contoso' }, 'body.sourcePartnerTenantId'],
      [{ ...body, customerEmailId: 'not-an-address' }, 'body.customerEmailId'],
      [{ ...body, targetProductTypes: ['Software'] }, 'body.targetProductTypes.0'],
      [{ ...body, transferType: '3' }, 'body.transferType'],
      [{ ...body, lineItems: [] }, 'body.lineItems'],
      [{ sourcePartnerTenantId: T.contoso }, 'body.sourcePartnerName'],
    ];
    for (const [sent, field] of cases) {
      const answer = await api.call(admin(T.fabrikam), 'POST', path, { body: sent });
      expect([answer.status, answer.body.code, answer.body.details?.[0]?.field]).toEqual([
        400,
        'InvalidRequest',
        field,
      ]);
    }
    const badCustomer = await api.call(admin(T.fabrikam), 'POST', api.transfersPath('woodgrove'), { body });
    expect([badCustomer.status, badCustomer.body.details?.[0]?.field]).toEqual([400, 'path.customerId']);
  });
});
