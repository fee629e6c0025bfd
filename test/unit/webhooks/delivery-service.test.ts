// Delivery against in-memory fakes: who receives an event and in which view, signing per attempt, the retry
// schedule ending in Failed, a repeated fan-out adding nothing, and the five-day auto-disable with its email.
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Transfer } from '#domain/model.ts';
import type { WebhookEndpoint, WebhookEvent } from '#domain/webhooks/model.ts';
import { createDeliveryService } from '#webhooks/delivery-service.ts';
import { transferViewFor } from '#webhooks/event-payload.ts';
import { generateWebhookSecret } from '#webhooks/signing.ts';
import { activeTransfer, DAY_MS, OUTSIDER, SOURCE, T0, TARGET } from '../domain/fixtures.ts';
import { InMemoryWebhookStore, recordingQueue, scriptedSender } from './fakes.ts';

const FAIL = { delivered: false as const, statusCode: 500, error: 'HTTP 500' };

function endpointOf(tenantId: string, id: string, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id,
    partnerTenantId: tenantId,
    url: `https://${id}.example/hooks`,
    events: ['*'],
    disabled: false,
    secrets: [{ value: generateWebhookSecret() }],
    createdTime: T0.toISOString(),
    updatedTime: T0.toISOString(),
    ...overrides,
  };
}

describe('webhook delivery', () => {
  let store: InMemoryWebhookStore;
  let sender: ReturnType<typeof scriptedSender>;
  let queue: ReturnType<typeof recordingQueue>;
  let now: Date;
  let disabledEmails: WebhookEndpoint[];
  let transfer: Transfer;
  let service: ReturnType<typeof createDeliveryService>;
  const event = (type: WebhookEvent['type'] = 'transfer.created', sequence = 1): WebhookEvent => ({
    id: `event-${sequence}`,
    type,
    occurredTime: T0.toISOString(),
    subject: { kind: 'transfer', customerId: transfer.customerTenantId, transferId: transfer.id, sequence },
  });

  beforeEach(async () => {
    store = new InMemoryWebhookStore();
    sender = scriptedSender();
    queue = recordingQueue();
    now = T0;
    disabledEmails = [];
    transfer = activeTransfer();
    service = createDeliveryService({
      endpoints: store,
      deliveries: store,
      transfers: { get: async () => transfer },
      sender,
      queue,
      notifyEndpointDisabled: async (endpoint) => void disabledEmails.push(endpoint),
      retryDelaysSeconds: [5, 300],
      now: () => now,
      random: () => 0.5,
    });
    await store.saveEndpoints(SOURCE.tenantId, [endpointOf(SOURCE.tenantId, 'source-hook')], 0);
    await store.saveEndpoints(
      TARGET.tenantId,
      [
        endpointOf(TARGET.tenantId, 'target-hook', { events: ['transfer.completed'] }),
        endpointOf(TARGET.tenantId, 'target-all'),
        endpointOf(TARGET.tenantId, 'target-off', { disabled: true, disabledReason: 'DisabledByPartner' }),
      ],
      0,
    );
    await store.saveEndpoints(OUTSIDER.tenantId, [endpointOf(OUTSIDER.tenantId, 'outsider-hook')], 0);
  });

  it("fans out to the parties' subscribed, enabled endpoints only, once however often it is repeated", async () => {
    expect(await service.fanOut(event())).toBe(2);
    expect(queue.messages.map((message) => message.endpointId).sort()).toEqual(['source-hook', 'target-all']);
    expect(await service.fanOut(event())).toBe(2); // never attempted yet: its first message may have been lost
    await service.attempt(queue.messages[0]!);
    expect(await service.fanOut(event())).toBe(1);
    expect(store.deliveries.size).toBe(2);
  });

  it("sends each partner its own view, signed with the endpoint's secret and the event's id", async () => {
    await service.fanOut(event());
    for (const message of queue.messages) await service.attempt(message);
    expect(sender.requests.map((request) => request.url).sort()).toEqual([
      'https://source-hook.example/hooks',
      'https://target-all.example/hooks',
    ]);
    for (const request of sender.requests) {
      const tenantId = request.url.includes('source') ? SOURCE.tenantId : TARGET.tenantId;
      const endpoint = (await store.getEndpoints(tenantId)).endpoints.find((e) => request.url === e.url)!;
      expect(request.headers['webhook-id']).toBe('event-1');
      expect(request.headers['webhook-signature']).toBe(
        new Webhook(endpoint.secrets[0]!.value).sign('event-1', now, request.body),
      );
      expect(JSON.parse(request.body)).toEqual({
        type: 'transfer.created',
        timestamp: T0.toISOString(),
        data: { transfer: transferViewFor(transfer, tenantId), sequence: 1 },
      });
    }
  });

  it('retries on the schedule with the same webhook-id, then marks the delivery Failed', async () => {
    sender.answers.push(FAIL, FAIL, FAIL);
    await service.fanOut(event());
    const message = queue.messages.find((m) => m.endpointId === 'source-hook')!;
    expect(await service.attempt(message)).toEqual({ retryAfterSeconds: 5 });
    const pending = await store.getDelivery('source-hook', message.deliveryId);
    expect(pending).toMatchObject({ status: 'Pending', attemptCount: 1, lastStatusCode: 500 });
    expect(pending?.nextAttemptTime).toBe(new Date(T0.getTime() + 5_000).toISOString());
    expect(await service.attempt(message)).toEqual({ retryAfterSeconds: 300 });
    expect(await service.attempt(message)).toEqual({ done: true });
    expect(await store.getDelivery('source-hook', message.deliveryId)).toMatchObject({
      status: 'Failed',
      attemptCount: 3,
      lastError: 'HTTP 500',
    });
    expect(new Set(sender.requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set(['event-1']),
    );
    expect(await service.attempt(message)).toEqual({ done: true }); // a stray message changes nothing
    expect(sender.requests).toHaveLength(3);
  });

  it('disables an endpoint that failed every delivery for five days and emails once; a success resets it', async () => {
    sender.answers.push(FAIL);
    await service.fanOut(event());
    const message = queue.messages.find((m) => m.endpointId === 'source-hook')!;
    await service.attempt(message);
    const failing = (await store.getEndpoints(SOURCE.tenantId)).endpoints[0];
    expect(failing?.failingSince).toBe(T0.toISOString());

    await service.attempt(message); // succeeds
    expect((await store.getEndpoints(SOURCE.tenantId)).endpoints[0]?.failingSince).toBeUndefined();

    sender.answers.push(FAIL, FAIL, FAIL);
    await service.fanOut(event('transfer.updated', 2));
    const second = queue.messages.findLast((m) => m.endpointId === 'source-hook')!;
    await service.attempt(second);
    now = new Date(T0.getTime() + 5 * DAY_MS);
    await service.attempt(second);
    const disabled = (await store.getEndpoints(SOURCE.tenantId)).endpoints[0];
    expect(disabled).toMatchObject({ disabled: true, disabledReason: 'FailingForFiveDays' });
    expect(disabledEmails.map((endpoint) => endpoint.id)).toEqual(['source-hook']);
    expect(await service.attempt(second)).toEqual({ done: true });
    expect(disabledEmails).toHaveLength(1);
    expect(await service.fanOut(event('transfer.accepted', 3))).toBe(1); // only target-all now
  });
});

describe('payload views', () => {
  it('is the GET representation for source and target, and nothing for anyone else', () => {
    const transfer = activeTransfer();
    const forSource = transferViewFor(transfer, SOURCE.tenantId);
    const forTarget = transferViewFor(transfer, TARGET.tenantId);
    expect(forSource).toMatchObject({ id: transfer.id, status: 'Active' });
    expect(forTarget).toMatchObject({ id: transfer.id });
    expect(JSON.stringify(forSource)).not.toContain('version');
    expect(transferViewFor(transfer, OUTSIDER.tenantId)).toBeUndefined();
  });
});
