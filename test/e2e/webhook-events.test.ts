// Transfer events reach partners' endpoints over real HTTP: signed, in order of their sequence numbers, each once
// after dedupe by webhook-id even when the receiver fails at first; never to an outsider or a disabled endpoint. An
// expiry reaches both parties; an endpoint failing for 5 days is disabled and its partner's admins get an email.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CUSTOMERS, SANDBOX_PARTNERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from '#test/support/webhook-receiver.ts';
import {
  createTransferFixture,
  emailsTo,
  eventually,
  partnerClient,
  seedSubscription,
  sentEmails,
  sfnClient,
  transferWorkflow,
} from '#test/workflow/support.ts';
import { transferWebhookActivityFromEnvironment } from '#webhooks/storage-wiring.ts';
import { readTransferWebhookActivity } from '#webhooks/transfer-webhook-activity.ts';
import { seedSubscription as seedSubscriptionWith } from './transfer-write-helpers.ts';

const CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
const SOURCE = SANDBOX_TENANTS.contoso;
const TARGET = SANDBOX_TENANTS.fabrikam;
const OUTSIDER = SANDBOX_TENANTS.adatum;
/** The sandbox's move fails for good for this subscription. */
const BROKEN = randomUUID();

interface EventBody {
  type: string;
  timestamp: string;
  data: { sequence: number; transfer: { id: string; status: string; sourcePartnerTenantId: string } };
}

let cloud: TestCloud;
let receiver: WebhookReceiver;
const secrets = new Map<string, string>();

async function register(tenantId: string, path: string, extra: Record<string, unknown> = {}) {
  const call = partnerClient(cloud, tenantId);
  const created = await call<{ id: string; secret: string }>('POST', '/v1/webhooks', {
    url: receiver.url(path),
    events: ['*'],
    ...extra,
  });
  expect(created.status).toBe(201);
  secrets.set(path, created.body.secret);
  return created.body.id;
}

/** What one endpoint received for a transfer, verified with its secret, deduplicated by webhook-id. */
function eventsAt(path: string, transferId: string): EventBody[] {
  const unique = new Map<string, ReceivedWebhook>();
  for (const request of receiver.received.filter((entry) => entry.path === path)) {
    unique.set(request.headers['webhook-id'] ?? '', request);
  }
  return [...unique.values()]
    .map((request) => new Webhook(secrets.get(path) ?? '').verify(request.body, request.headers) as EventBody)
    .filter((event) => event.data.transfer?.id === transferId)
    .sort((a, b) => a.data.sequence - b.data.sequence);
}

/** The target partner creates a transfer of the customer from the source partner. */
async function createTransfer() {
  const created = await partnerClient(cloud, TARGET)('POST', `/v1/customers/${CUSTOMER}/transfers`, {
    sourcePartnerTenantId: SOURCE,
    sourcePartnerName: SANDBOX_PARTNERS.find((partner) => partner.tenantId === SOURCE)?.name,
    customerEmailId: 'events-test@woodgrove.example',
  });
  expect(created.status).toBe(201);
  const transferId: string = created.body.id;
  return { transferId, path: `/v1/customers/${CUSTOMER}/transfers/${transferId}` };
}

/** Runs the workflow of a transfer written straight to storage (the create route would start it). */
async function startWorkflow(customerId: string, transferId: string) {
  const client = sfnClient(cloud);
  try {
    await transferWorkflow(cloud, client).start({ customerId, transferId });
  } finally {
    client.destroy();
  }
}

/** Backdates an endpoint's failure streak to six days ago, as if every delivery had failed since. */
async function failingForSixDays(tenantId: string, endpointId: string) {
  const store = transferWebhookActivityFromEnvironment().endpoints;
  const { endpoints, version } = await store.getEndpoints(tenantId);
  const failingSince = new Date(Date.now() - 6 * 24 * 60 * 60 * 1000).toISOString();
  const backdated = endpoints.map((endpoint) =>
    endpoint.id === endpointId ? { ...endpoint, failingSince } : endpoint,
  );
  expect(await store.saveEndpoints(tenantId, backdated, version)).toBe(true);
}

beforeAll(async () => {
  cloud = await startTestCloud({
    webhookRetryDelaysSeconds: [0, 0, 0, 0, 0],
    moveFaults: `permanent:${BROKEN}`,
  });
  receiver = await startWebhookReceiver();
  await register(TARGET, '/target');
  await register(SOURCE, '/source');
  await register(OUTSIDER, '/outsider');
  const disabled = await register(TARGET, '/disabled');
  expect(
    (await partnerClient(cloud, TARGET)('PATCH', `/v1/webhooks/${disabled}`, { disabled: true })).status,
  ).toBe(200);
});

afterAll(async () => {
  await receiver?.close();
  await cloud?.stop();
});

describe('transfer events over HTTP', () => {
  it('create, line items, accept, complete: every party gets every event once, signed and in sequence', async () => {
    const flaky = await register(SOURCE, '/flaky', { events: ['transfer.created', 'transfer.completed'] });
    expect(flaky).toBeDefined();
    const source = partnerClient(cloud, SOURCE);
    const subscription = await seedSubscription(cloud.storage, CUSTOMER, SOURCE, 0);
    receiver.respondWith([500, 500, 500]); // the first three requests fail, whichever endpoint they were for
    const { transferId, path } = await createTransfer();
    const firstEvent = await eventually(async () => eventsAt('/target', transferId)[0]);
    expect(firstEvent).toMatchObject({ type: 'transfer.created', data: { sequence: 1 } });

    expect(
      (await source('PATCH', path, { lineItems: [{ subscriptionId: subscription.subscriptionId }] })).status,
    ).toBe(200);
    expect((await source('POST', `${path}/submit`)).status).toBe(202);
    const expected = ['transfer.created', 'transfer.updated', 'transfer.accepted', 'transfer.completed'];
    for (const endpoint of ['/target', '/source']) {
      const events = await eventually(async () => {
        const found = eventsAt(endpoint, transferId);
        return found.length >= expected.length ? found : undefined;
      }, 50);
      expect(
        events.map((event) => event.type),
        endpoint,
      ).toEqual(expected);
      expect(events.map((event) => event.data.sequence)).toEqual([1, 2, 3, 4]);
      expect(events.at(-1)?.data.transfer.status).toBe('Complete');
    }
    const flakyEvents = await eventually(async () => {
      const found = eventsAt('/flaky', transferId);
      return found.length >= 2 ? found : undefined;
    }, 50);
    expect(flakyEvents.map((event) => event.type)).toEqual(['transfer.created', 'transfer.completed']);
    // The three failed requests were retried with the same webhook-id: duplicates exist before dedupe.
    const ids = receiver.received.map((entry) => entry.headers['webhook-id']);
    expect(ids.length - new Set(ids).size).toBeGreaterThanOrEqual(3);

    // Views differ per partner only where GET differs; the outsider and the disabled endpoint get nothing.
    expect(eventsAt('/outsider', transferId)).toEqual([]);
    expect(receiver.received.filter((entry) => entry.path === '/outsider')).toEqual([]);
    expect(receiver.received.filter((entry) => entry.path === '/disabled')).toEqual([]);

    // What `ops inspect` shows: every event published, each delivery settled, the three failures among the attempts.
    const stored = await cloud.storage.transfers.get(CUSTOMER, transferId);
    const activity = await eventually(async () => {
      const read = await readTransferWebhookActivity(transferWebhookActivityFromEnvironment(), stored!);
      return read.deliveries.every((delivery) => delivery.status === 'Succeeded') ? read : undefined;
    }, 50);
    expect(activity.eventCount).toBe(4);
    expect(activity.pending).toEqual([]);
    // target 4 + source 4 + flaky 2; the outsider's and the disabled endpoint's never existed.
    expect(activity.deliveries).toHaveLength(10);
    const attempts = activity.deliveries.reduce((sum, delivery) => sum + delivery.attemptCount, 0);
    expect(attempts).toBeGreaterThanOrEqual(10 + 3);
  });

  it('a line item that fails for good: transfer.lineItem.failed, then transfer.completed as CompletedWithErrors', async () => {
    const source = partnerClient(cloud, SOURCE);
    const moved = await seedSubscription(cloud.storage, CUSTOMER, SOURCE, 1);
    const broken = await seedSubscriptionWith(cloud, CUSTOMER, SOURCE, 'OnlineServicesNCE', {
      subscriptionId: BROKEN,
    });
    const { transferId, path } = await createTransfer();
    const lineItems = [moved, broken].map((item) => ({ subscriptionId: item.subscriptionId }));
    expect((await source('PATCH', path, { lineItems })).status).toBe(200);
    expect((await source('POST', `${path}/submit`)).status).toBe(202);
    const expected = [
      'transfer.created',
      'transfer.updated',
      'transfer.accepted',
      'transfer.lineItem.failed',
      'transfer.completed',
    ];
    const events = await eventually(async () => {
      const found = eventsAt('/target', transferId);
      return found.length >= expected.length ? found : undefined;
    }, 50);
    expect(events.map((event) => event.type)).toEqual(expected);
    expect(events.map((event) => event.data.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(events.at(-1)?.data.transfer.status).toBe('CompletedWithErrors');
  });
  it('an Active transfer nobody accepts expires: both parties get transfer.expired', async () => {
    const tenantIds = { source: randomUUID(), target: randomUUID() };
    await register(tenantIds.source, '/expiry-source');
    await register(tenantIds.target, '/expiry-target');
    // A window of 2 seconds: the acceptance wait times out and the workflow expires the transfer.
    const { transfer } = await createTransferFixture(cloud.storage, {
      items: 1,
      acceptanceWindowDays: 2 / 86_400,
      tenantIds,
    });
    await startWorkflow(transfer.customerTenantId, transfer.id);
    for (const endpoint of ['/expiry-source', '/expiry-target']) {
      const events = await eventually(async () => {
        const found = eventsAt(endpoint, transfer.id);
        return found.length >= 2 ? found : undefined;
      }, 50);
      expect(
        events.map((event) => [event.type, event.data.sequence]),
        endpoint,
      ).toEqual([
        ['transfer.created', 1],
        ['transfer.expired', 2],
      ]);
      expect(events[1]?.data.transfer.status).toBe('Expired');
    }
  });

  it("disables an endpoint whose deliveries failed for 5 days and emails its partner's admins", async () => {
    const tenantIds = { source: randomUUID(), target: randomUUID() };
    // Nothing listens on port 1: every delivery fails.
    const call = partnerClient(cloud, tenantIds.target);
    const created = await call<{ id: string }>('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:1/down',
      events: ['*'],
    });
    expect(created.status).toBe(201);
    await failingForSixDays(tenantIds.target, created.body.id);
    const { target } = await createTransferFixture(cloud.storage, { items: 1, tenantIds });
    const admin = target.adminEmails[0] ?? '';
    const email = await eventually(async () => emailsTo(await sentEmails(cloud), admin)[0], 50);
    expect(email.subject).toBe('Your webhook endpoint was disabled after failing for five days');
    const read = await call<{ disabled: boolean }>('GET', `/v1/webhooks/${created.body.id}`);
    expect(read.body.disabled).toBe(true);
  });

  it('a failed test event that ends 5 days of failures disables the endpoint and emails the admins too', async () => {
    const tenantIds = { source: randomUUID(), target: randomUUID() };
    const { target } = await createTransferFixture(cloud.storage, { items: 1, tenantIds });
    const call = partnerClient(cloud, target.tenantId);
    const created = await call<{ id: string }>('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:1/down',
      events: ['transfer.completed'],
    });
    await failingForSixDays(target.tenantId, created.body.id);
    const tested = await call<{ status: string }>('POST', `/v1/webhooks/${created.body.id}/test`);
    expect(tested.body.status).toBe('Failed');
    const admin = target.adminEmails[0] ?? '';
    const email = await eventually(async () => emailsTo(await sentEmails(cloud), admin)[0], 50);
    expect(email.subject).toBe('Your webhook endpoint was disabled after failing for five days');
    expect((await call<{ disabled: boolean }>('GET', `/v1/webhooks/${created.body.id}`)).body.disabled).toBe(
      true,
    );
  });
});
