// What the transfer write tests share: an HTTP client that talks to the local cloud like a partner system, and
// seeding of fresh subscriptions (a subscription can be in one open transfer only, so each test brings its own).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { ProductType, Role, Subscription, Transfer } from '#domain/model.ts';
import { SANDBOX_CUSTOMER_RECORDS, SANDBOX_PARTNERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { LOCAL_SDK_SETTINGS, startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ErrorAnswerBody {
  code: string;
  description: string;
  details: { field?: string; code: string; description: string }[];
}

/** The fields the write tests read from a transfer on the wire. */
export interface TransferBody {
  id: string;
  status: string;
  customerTenantId: string;
  sourcePartnerTenantId: string;
  targetPartnerTenantId: string;
  createdTime: string;
  expirationTime: string;
  lineItems: {
    id: string;
    subscriptionId: string;
    quantity: number;
    status: string;
    partnerIdOnRecord?: string;
  }[];
  code?: string;
  details?: ErrorAnswerBody['details'];
}

export interface Actor {
  tenantId: string;
  role?: Role;
  userId?: string;
}

/** An admin agent of each sandbox partner the write tests act for. */
export const SANDBOX_ADMINS = {
  contoso: { tenantId: SANDBOX_TENANTS.contoso, userId: 'contoso-admin' },
  fabrikam: { tenantId: SANDBOX_TENANTS.fabrikam, userId: 'fabrikam-admin' },
  northwind: { tenantId: SANDBOX_TENANTS.northwind, userId: 'northwind-admin' },
  adatum: { tenantId: SANDBOX_TENANTS.adatum, userId: 'adatum-admin' },
} as const satisfies Record<string, Actor>;

const partnerNamed = (tenantId: string) => SANDBOX_PARTNERS.find((partner) => partner.tenantId === tenantId);
const customerNamed = (customerId: string) =>
  SANDBOX_CUSTOMER_RECORDS.find((customer) => customer.customerId === customerId);

export function transferApi(cloud: TestCloud) {
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (actor: Actor) => {
    const key = `${actor.tenantId}/${actor.role ?? 'AdminAgent'}/${actor.userId ?? ''}`;
    let token = tokens.get(key);
    if (!token) {
      token = cloud.tokenFor(actor.tenantId, actor.role ?? 'AdminAgent', actor.userId);
      tokens.set(key, token);
    }
    return token;
  };

  async function call<T = TransferBody>(
    actor: Actor,
    method: string,
    path: string,
    options: { body?: unknown; requestId?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await tokenFor(actor)}`,
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.requestId !== undefined) headers['MS-RequestId'] = options.requestId;
    const response = await fetch(`${cloud.urls.api}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
  }

  const transfersPath = (customerId: string) => `/v1/customers/${customerId}/transfers`;
  const transferPath = (customerId: string, transferId: string) =>
    `${transfersPath(customerId)}/${transferId}`;

  /** The create body a target sends: the source's tenant id and name, the customer's address. */
  const createBody = (customerId: string, sourceTenantId: string, extra: Record<string, unknown> = {}) => ({
    sourcePartnerTenantId: sourceTenantId,
    sourcePartnerName: partnerNamed(sourceTenantId)?.name ?? 'Unknown partner',
    customerEmailId: customerNamed(customerId)?.contactEmail ?? 'customer@example.com',
    customerName: customerNamed(customerId)?.name ?? 'Customer',
    transferType: 3,
    ...extra,
  });

  return {
    call,
    transfersPath,
    transferPath,
    createBody,
    create: (
      target: Actor,
      customerId: string,
      sourceTenantId: string,
      options: { extra?: Record<string, unknown>; requestId?: string } = {},
    ) =>
      call(target, 'POST', transfersPath(customerId), {
        body: createBody(customerId, sourceTenantId, options.extra),
        ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
      }),
    setLineItems: (
      source: Actor,
      customerId: string,
      transferId: string,
      lineItems: Record<string, unknown>[],
      options: { status?: string; requestId?: string } = {},
    ) =>
      call(source, 'PATCH', transferPath(customerId, transferId), {
        body: { lineItems, ...(options.status !== undefined ? { status: options.status } : {}) },
        ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
      }),
    submit: (source: Actor, customerId: string, transferId: string, requestId?: string) =>
      call(source, 'POST', `${transferPath(customerId, transferId)}/submit`, {
        ...(requestId !== undefined ? { requestId } : {}),
      }),
    cancel: (target: Actor, customerId: string, transferId: string, requestId?: string) =>
      call(target, 'POST', `${transferPath(customerId, transferId)}/cancel`, {
        ...(requestId !== undefined ? { requestId } : {}),
      }),
  };
}

export type TransferApi = ReturnType<typeof transferApi>;

/** A local cloud for one test file and the partner-system client for it (stop it with stopWhenWorkflowsAreIdle). */
export async function startTransferWriteCloud(): Promise<{ cloud: TestCloud; api: TransferApi }> {
  const cloud = await startTestCloud();
  return { cloud, api: transferApi(cloud) };
}

/** A fresh subscription of the customer, billed by `billingPartnerTenantId`, written straight into storage. */
export async function seedSubscription(
  cloud: TestCloud,
  customerId: string,
  billingPartnerTenantId: string,
  productType: ProductType = 'OnlineServicesNCE',
  extra: Partial<Subscription> = {},
): Promise<Subscription> {
  const subscription: Subscription = {
    subscriptionId: randomUUID(),
    customerId,
    billingPartnerTenantId,
    productType,
    friendlyName: `Test ${productType}`,
    offerId: 'TESTOFFER',
    skuId: '0001',
    catalogItemId: 'TESTOFFER:0001',
    quantity: 10,
    billingCycle: 'Monthly',
    termDuration: 'P1M',
    version: 1,
    ...extra,
  };
  await cloud.storage.subscriptions.put(subscription);
  return subscription;
}

/** The stored transfer (what the API answered must be what was written). */
export async function storedTransfer(
  cloud: TestCloud,
  customerId: string,
  transferId: string,
): Promise<Transfer> {
  const transfer = await cloud.storage.transfers.get(customerId, transferId);
  if (!transfer) throw new Error(`Transfer ${transferId} is not stored`);
  return transfer;
}

/** Statuses a submitted transfer may have by the time the test reads it (the workflow may move on). */
export const ACCEPTED_OR_LATER = ['Accepted', 'InProgress', 'Complete', 'CompletedWithErrors'];

/** Whether the subscription is held (or was already moved) by the transfer. */
export async function isClaimedBy(cloud: TestCloud, subscription: Subscription, transferId: string) {
  const stored = await cloud.storage.subscriptions.get(subscription.customerId, subscription.subscriptionId);
  return stored?.openTransferId === transferId || stored?.movedByTransferId === transferId;
}

export async function claimOf(cloud: TestCloud, subscription: Subscription) {
  const stored = await cloud.storage.subscriptions.get(subscription.customerId, subscription.subscriptionId);
  return stored?.openTransferId;
}

/** Whether some running execution is between steps (a task function may be running) rather than waiting for a token. */
async function someWorkflowIsBusy(sfn: SFNClient, stateMachineArn: string): Promise<boolean> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken }),
    );
    for (const execution of page.executions ?? []) {
      const history = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: execution.executionArn,
          reverseOrder: true,
          maxResults: 1,
          includeExecutionData: false,
        }),
      );
      if (history.events?.[0]?.type !== 'TaskSubmitted') return true;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return false;
}

/**
 * Stops the cloud once no workflow task is running: a task function still talking to DynamoDB when the local cloud
 * closes it fails with "Database is closed" outside any test. Waits at most `timeoutMs`.
 */
export async function stopWhenWorkflowsAreIdle(cloud: TestCloud, timeoutMs = 10_000): Promise<void> {
  const sfn = new SFNClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.stepfunctions });
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (await someWorkflowIsBusy(sfn, cloud.stateMachineArn))) await sleep(50);
  } finally {
    sfn.destroy();
    await cloud.stop();
  }
}
