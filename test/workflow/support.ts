// Drives the transfer workflow in the embedded local cloud without HTTP: transfers and line items are written with
// storage (as the create and PATCH endpoints would), submit and cancel run the API's own use cases against the same
// Step Functions adapter, and tests read the execution history over the real Step Functions API.

import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeMapRunCommand,
  type DescribeMapRunOutput,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import type { Storage, TransferWorkflow } from '#application/ports.ts';
import { createTransferWriteService } from '#application/transfer-write-service.ts';
import type { Partner, Subscription, Transfer } from '#domain/model.ts';
import { buildLineItem, newTransfer } from '#domain/transfer-factory.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, LOCAL_STATE_MACHINE_NAME } from '#local/local-cloud.ts';
import { runAsFunction } from '#local/running-function.ts';
import { LOCAL_SDK_SETTINGS, type TestCloud } from '#test/support/local-cloud.ts';
import { localSesMail, type SentEmail } from '#test/support/sent-mail.ts';
import type { E2eTarget } from '#test/support/target.ts';

export interface TransferFixture {
  transfer: Transfer;
  source: Partner;
  target: Partner;
  subscriptions: Subscription[];
}

export interface TransferFixtureOptions {
  /** How many line items (one subscription each). Default 3. */
  items?: number;
  /** Subscription ids to use (the rest are random), e.g. ids named in the cloud's moveFaults. */
  subscriptionIds?: readonly string[];
  /** Default 30 days; fractions allowed. */
  acceptanceWindowDays?: number;
  customerName?: string;
  now?: Date;
  /** The partners' tenant ids (random by default), e.g. ones that registered webhook endpoints first. */
  tenantIds?: { source: string; target: string };
}

function partner(name: string, tenantId: string): Partner {
  const domain = tenantId.slice(-12);
  return {
    tenantId,
    name,
    kind: 'DirectBill',
    partnerId: String(Math.floor(Math.random() * 9_000_000) + 1_000_000),
    partnerAgreementSigned: true,
    adminEmails: [`admin-${domain}@${name.toLowerCase().replace(/\W+/g, '-')}.example`],
  };
}

function subscription(
  customerId: string,
  subscriptionId: string,
  billedBy: string,
  index: number,
): Subscription {
  return {
    subscriptionId,
    customerId,
    billingPartnerTenantId: billedBy,
    productType: 'OnlineServicesNCE',
    friendlyName: `Microsoft 365 Business Basic #${index}`,
    offerId: 'CFQ7TTC0LH18',
    skuId: '0001',
    catalogItemId: 'CFQ7TTC0LH18:0001',
    quantity: 5 + index,
    billingCycle: 'Monthly',
    termDuration: 'P1M',
    version: 1,
  };
}

/**
 * Writes what the create and PATCH endpoints would: two partners, a customer, subscriptions billed by the source,
 * claimed by a new Active transfer whose line items name them.
 */
export async function createTransferFixture(
  storage: Storage,
  options: TransferFixtureOptions = {},
): Promise<TransferFixture> {
  const source = partner('Source Direct', options.tenantIds?.source ?? randomUUID());
  const target = partner('Target Direct', options.tenantIds?.target ?? randomUUID());
  await storage.directory.putPartner(source);
  await storage.directory.putPartner(target);
  const customerId = randomUUID();
  const customerName = options.customerName ?? 'Workflow Test Customer';
  await storage.directory.putCustomer({
    customerId,
    name: customerName,
    contactEmail: 'it@customer.example',
  });

  const count = options.items ?? 3;
  const subscriptions = Array.from({ length: count }, (_, index) =>
    subscription(customerId, options.subscriptionIds?.[index] ?? randomUUID(), source.tenantId, index),
  );
  for (const item of subscriptions) await storage.subscriptions.put(item);

  const transferId = randomUUID();
  const transfer: Transfer = {
    ...newTransfer({
      id: transferId,
      customerId,
      request: {
        sourcePartnerTenantId: source.tenantId,
        sourcePartnerName: source.name,
        customerEmailId: `customer-${transferId.slice(0, 8)}@customer.example`,
        customerName,
      },
      caller: { tenantId: target.tenantId, userId: 'target-admin', roles: ['AdminAgent'] },
      sourcePartner: source,
      targetPartner: target,
      now: options.now ?? new Date(),
      ...(options.acceptanceWindowDays === undefined
        ? {}
        : { acceptanceWindowDays: options.acceptanceWindowDays }),
    }),
    lineItems: subscriptions.map((item, index) =>
      buildLineItem(String(index), item, { quantity: item.quantity }),
    ),
  };
  for (const item of subscriptions) {
    await storage.subscriptions.claimForTransfer(
      customerId,
      item.subscriptionId,
      transferId,
      source.tenantId,
    );
  }
  await storage.transfers.create(transfer);
  return { transfer, source, target, subscriptions };
}

export function sfnClient(cloud: TestCloud): SFNClient {
  return new SFNClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.stepfunctions });
}

export function transferWorkflow(cloud: TestCloud, client: SFNClient): TransferWorkflow {
  return createTransferWorkflow(cloud.stateMachineArn, client);
}

export function executionArnOf(transferId: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${LOCAL_STATE_MACHINE_NAME}:${transferId}`;
}

/** Polls until `probe` answers something other than undefined (no timing assertion: the test timeout bounds it). */
export async function eventually<T>(probe: () => Promise<T | undefined>, intervalMs = 20): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The token of the current acceptance wait, once the workflow stored one (other than `previous`). */
export function acceptanceToken(storage: Storage, transfer: Transfer, previous?: string): Promise<string> {
  return eventually(async () => {
    const stored = await storage.transfers.getStatusAndAcceptanceToken(
      transfer.customerTenantId,
      transfer.id,
    );
    const token = stored?.acceptanceTaskToken;
    return token !== undefined && token !== previous ? token : undefined;
  });
}

/** The use cases the write endpoints run, over this storage and workflow (no HTTP in between). */
function useCases(storage: Storage, workflow: TransferWorkflow) {
  return createTransferWriteService({ storage, workflow, now: () => new Date(), acceptanceWindowDays: 30 });
}

/**
 * What the submit (source admin) or cancel (target admin) endpoint runs: the real use case, with its claims, status
 * change, workflow resume and audit entries.
 */
function actDirectly(
  change: 'submit' | 'cancel',
  storage: Storage,
  workflow: TransferWorkflow,
  fixture: TransferFixture,
) {
  const party = change === 'submit' ? fixture.source : fixture.target;
  return useCases(storage, workflow)[change]({
    caller: { tenantId: party.tenantId, userId: `${change}-admin`, roles: ['AdminAgent'] },
    customerId: fixture.transfer.customerTenantId,
    transferId: fixture.transfer.id,
  });
}

export const submitDirectly = (storage: Storage, workflow: TransferWorkflow, fixture: TransferFixture) =>
  actDirectly('submit', storage, workflow, fixture);

export const cancelDirectly = (storage: Storage, workflow: TransferWorkflow, fixture: TransferFixture) =>
  actDirectly('cancel', storage, workflow, fixture);

export function finishedExecution(client: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  return eventually(async () => {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });
}

export async function executionHistory(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export interface MapRunChild {
  execution: ExecutionListItem;
  history: HistoryEvent[];
}

/** The Map Runs a (distributed Map) execution started, each with its child executions and their histories. */
export async function mapRunsOf(
  client: SFNClient,
  executionArn: string,
): Promise<{ run: DescribeMapRunOutput; children: MapRunChild[] }[]> {
  const { mapRuns = [] } = await client.send(new ListMapRunsCommand({ executionArn }));
  return Promise.all(
    mapRuns.map(async ({ mapRunArn }) => {
      const run = await client.send(new DescribeMapRunCommand({ mapRunArn }));
      const executions: ExecutionListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }));
        executions.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const children = await Promise.all(
        executions.map(async (execution) => ({
          execution,
          history: await executionHistory(client, execution.executionArn ?? ''),
        })),
      );
      return { run, children };
    }),
  );
}

/** The Payload a Lambda task returned, from a TaskSucceeded event of `lambda:invoke`. */
export function taskPayload(event: HistoryEvent): Record<string, unknown> | undefined {
  const output = event.taskSucceededEventDetails?.output;
  if (output === undefined) return undefined;
  const parsed = JSON.parse(output) as { Payload?: Record<string, unknown> };
  return parsed.Payload ?? undefined;
}

/** The errorMessage inside a Lambda failure's cause. */
export function failureMessage(event: HistoryEvent): string {
  const cause = event.taskFailedEventDetails?.cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

export type { SentEmail };

/** Every email the local SES emulator accepted. */
export function sentEmails(cloud: TestCloud): Promise<SentEmail[]> {
  return localSesMail(cloud.urls.ses)();
}

export function emailsTo(emails: readonly SentEmail[], address: string): SentEmail[] {
  return emails.filter((email) =>
    email.destination.to.some((to) => to.toLowerCase() === address.toLowerCase()),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Over HTTP, like a partner system (end-to-end tests).

export interface WireTransfer {
  id: string;
  status: string;
  customerTenantId: string;
  lineItems: {
    id: string;
    subscriptionId: string;
    status: string;
    attempts: number;
    completedTime?: string;
  }[];
  progress: { moved: number; failed: number; total: number };
  notificationErrors: unknown[];
}

export function partnerClient(
  cloud: Pick<E2eTarget, 'urls' | 'tokenFor'>,
  tenantId: string,
  userId = 'admin-user',
) {
  const token = cloud.tokenFor(tenantId, 'AdminAgent', userId);
  return async <T = WireTransfer>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.urls.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  };
}

/** A fresh subscription of a sandbox customer, billed by `billedBy` (each test brings its own). */
export async function seedSubscription(
  storage: Storage,
  customerId: string,
  billedBy: string,
  index: number,
): Promise<Subscription> {
  const seeded = subscription(customerId, randomUUID(), billedBy, index);
  await storage.subscriptions.put(seeded);
  return seeded;
}

/**
 * A workflow task's handler (or use case) invoked directly, run as that task's function: the IAM simulation
 * (test/infra/iam-simulation.test.ts) attributes its AWS calls to the task's role, as on AWS.
 */
export function asTask<Args extends unknown[], Result>(
  id: string,
  handler: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return (...args) => runAsFunction({ kind: 'task', id }, () => handler(...args));
}
