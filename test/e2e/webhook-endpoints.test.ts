// The webhook endpoints API over HTTP against the local cloud, with a real receiver: registration and its rules,
// admin-only writes, partner isolation, the test event signed with the secret, rotation with overlap, the
// deliveries list and redelivery.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';
import { type Actor, SANDBOX_ADMINS, transferApi } from '#test/e2e/transfer-write-helpers.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { startWebhookReceiver, type WebhookReceiver } from '#test/support/webhook-receiver.ts';
import { eventually } from '#test/workflow/support.ts';

let cloud: TestCloud;
let receiver: WebhookReceiver;
let api: ReturnType<typeof transferApi>;

interface EndpointBody {
  id: string;
  url: string;
  events: string[];
  secret?: string;
  disabled: boolean;
  code?: string;
  details?: { field?: string }[];
}
interface DeliveryBody {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  lastStatusCode?: number;
  lastResponseExcerpt?: string;
}
interface Collection<T> {
  items: T[];
  continuationToken?: string;
}

beforeAll(async () => {
  cloud = await startTestCloud({ webhookRetryDelaysSeconds: [0, 0, 0] });
  receiver = await startWebhookReceiver();
  api = transferApi(cloud);
});

afterAll(async () => {
  await receiver?.close();
  await cloud?.stop();
});

const register = (actor: Actor, body: Record<string, unknown>) =>
  api.call<EndpointBody>(actor, 'POST', '/v1/webhooks', { body });

describe('webhook endpoints over HTTP', () => {
  const northwind = SANDBOX_ADMINS.northwind;

  it('registers an endpoint, shows its secret only once, and keeps it from other partners', async () => {
    const created = await register(northwind, {
      url: receiver.url('/a'),
      events: ['*'],
      description: 'billing',
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const id = created.body.id;
    const read = await api.call<EndpointBody>(northwind, 'GET', `/v1/webhooks/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, url: receiver.url('/a'), events: ['*'], disabled: false });
    expect(read.body.secret).toBeUndefined();
    const listed = await api.call<Collection<EndpointBody>>(northwind, 'GET', '/v1/webhooks');
    expect(listed.body.items.map((item) => item.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const outsider = SANDBOX_ADMINS.adatum;
    expect((await api.call(outsider, 'GET', `/v1/webhooks/${id}`)).status).toBe(404);
    expect((await api.call(outsider, 'DELETE', `/v1/webhooks/${id}`)).status).toBe(404);
    const theirs = await api.call<Collection<EndpointBody>>(outsider, 'GET', '/v1/webhooks');
    expect(theirs.body.items.map((item) => item.id)).not.toContain(id);
  });

  it('refuses non-admins, bad URLs and unknown events with clear 4xx answers', async () => {
    const sales = { tenantId: SANDBOX_TENANTS.northwind, role: 'SalesAgent' as const };
    const refused = await register(sales, { url: receiver.url(), events: ['*'] });
    expect([refused.status, refused.body.code]).toEqual([403, 'AdminAgentRequired']);
    const plainHttp = await register(northwind, { url: 'http://partner.example/hooks', events: ['*'] });
    expect([plainHttp.status, plainHttp.body.code]).toEqual([400, 'InvalidWebhookUrl']);
    expect(plainHttp.body.details?.[0]?.field).toBe('body.url');
    const badEvent = await register(northwind, { url: receiver.url(), events: ['transfer.moved'] });
    expect([badEvent.status, badEvent.body.details?.[0]?.field]).toEqual([400, 'body.events.0']);
  });

  it('allows at most 10 endpoints per partner', async () => {
    const fabrikam = SANDBOX_ADMINS.fabrikam;
    for (let index = 0; index < 10; index++) {
      expect((await register(fabrikam, { url: receiver.url(`/n${index}`), events: ['*'] })).status).toBe(201);
    }
    const eleventh = await register(fabrikam, { url: receiver.url('/n10'), events: ['*'] });
    expect([eleventh.status, eleventh.body.code]).toEqual([422, 'WebhookEndpointLimitReached']);
  });

  it('sends a signed test event, lists the delivery, and redelivers it with the same webhook-id', async () => {
    const created = await register(northwind, { url: receiver.url('/test'), events: ['transfer.created'] });
    const id = created.body.id;
    const secret = created.body.secret ?? '';
    const test = await api.call<DeliveryBody>(northwind, 'POST', `/v1/webhooks/${id}/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ eventType: 'webhook.test', status: 'Succeeded', attemptCount: 1 });
    const request = receiver.received.find((entry) => entry.path === '/test');
    expect(request).toBeDefined();
    const payload = new Webhook(secret).verify(request?.body ?? '', request?.headers ?? {}) as {
      type: string;
    };
    expect(payload.type).toBe('webhook.test');
    expect(request?.headers['webhook-id']).toBe(test.body.eventId);

    receiver.respondWith([503]);
    const failing = await api.call<DeliveryBody>(northwind, 'POST', `/v1/webhooks/${id}/test`);
    expect(failing.body).toMatchObject({ status: 'Failed', lastStatusCode: 503 });
    expect(failing.body.lastResponseExcerpt?.length).toBeLessThanOrEqual(256);

    const deliveries = await api.call<Collection<DeliveryBody>>(
      northwind,
      'GET',
      `/v1/webhooks/${id}/deliveries`,
    );
    expect(deliveries.body.items.map((item) => item.id)).toEqual([failing.body.id, test.body.id]);
    const firstPage = await api.call<Collection<DeliveryBody>>(
      northwind,
      'GET',
      `/v1/webhooks/${id}/deliveries?limit=1`,
    );
    expect(firstPage.body.items).toHaveLength(1);
    expect(firstPage.body.continuationToken).toBeDefined();

    const redelivered = await api.call<DeliveryBody>(
      northwind,
      'POST',
      `/v1/webhooks/${id}/deliveries/${failing.body.id}/redeliver`,
    );
    expect([redelivered.status, redelivered.body.status]).toEqual([202, 'Pending']);
    const settled = await eventually(async () => {
      const page = await api.call<Collection<DeliveryBody>>(
        northwind,
        'GET',
        `/v1/webhooks/${id}/deliveries`,
      );
      const delivery = page.body.items.find((item) => item.id === failing.body.id);
      return delivery?.status === 'Succeeded' ? delivery : undefined;
    });
    expect(settled.attemptCount).toBe(2);
    const sameEvent = receiver.received.filter(
      (entry) => entry.headers['webhook-id'] === failing.body.eventId,
    );
    expect(sameEvent).toHaveLength(2);
  });

  it('rotates the secret: both secrets verify during the overlap', async () => {
    const created = await register(northwind, { url: receiver.url('/rotate'), events: ['*'] });
    const id = created.body.id;
    const rotated = await api.call<EndpointBody>(northwind, 'POST', `/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    await api.call(northwind, 'POST', `/v1/webhooks/${id}/test`);
    const request = receiver.received.filter((entry) => entry.path === '/rotate').at(-1);
    for (const secret of [created.body.secret, rotated.body.secret]) {
      expect(() =>
        new Webhook(secret ?? '').verify(request?.body ?? '', request?.headers ?? {}),
      ).not.toThrow();
    }
  });

  it('changes, disables and deletes an endpoint', async () => {
    const created = await register(northwind, { url: receiver.url('/change'), events: ['*'] });
    const id = created.body.id;
    const patched = await api.call<EndpointBody>(northwind, 'PATCH', `/v1/webhooks/${id}`, {
      body: { events: ['transfer.completed'], disabled: true },
    });
    expect(patched.body).toMatchObject({ events: ['transfer.completed'], disabled: true });
    const empty = await api.call<EndpointBody>(northwind, 'PATCH', `/v1/webhooks/${id}`, { body: {} });
    expect(empty.status).toBe(400);
    expect((await api.call(northwind, 'DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
    expect((await api.call(northwind, 'GET', `/v1/webhooks/${id}`)).status).toBe(404);
  });
});
