// Webhook delivery, shared by the deliverer (queue consumer) and the API (test, redeliver). An event fans out to one
// delivery per subscribed, enabled endpoint of each party; each delivery is attempted, signed, recorded, and on
// failure retried on the schedule of domain/webhooks/retry-schedule.ts (the queue holds the pause), then Failed.
// An endpoint whose every delivery failed for five days is disabled and its partner's admins are emailed.
import type {
  DeliveryMessage,
  DeliveryQueue,
  WebhookDeliveryStore,
  WebhookEndpointStore,
  WebhookHttpSender,
} from '#application/webhook-ports.ts';
import { failingSinceAfterFailure, shouldAutoDisable } from '#domain/webhooks/endpoint-health.ts';
import { isSubscribedTo } from '#domain/webhooks/event-types.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from '#domain/webhooks/model.ts';
import { nextAttemptAfterFailure } from '#domain/webhooks/retry-schedule.ts';
import { logger } from '#shared/logger.ts';
import { changeOneEndpoint } from './endpoint-document.ts';
import { renderEventBody, type TransferReader, transferParties } from './event-payload.ts';
import { signedHeaders, signingSecrets } from './signing.ts';
import { deliveryId } from './stable-ids.ts';

export interface DeliveryServiceDependencies {
  endpoints: WebhookEndpointStore;
  deliveries: WebhookDeliveryStore;
  transfers: TransferReader;
  sender: WebhookHttpSender;
  queue: DeliveryQueue;
  /** Emails the partner's admins that an endpoint was disabled; failures are logged, never fatal. */
  notifyEndpointDisabled(endpoint: WebhookEndpoint): Promise<void>;
  retryDelaysSeconds: readonly number[];
  now(): Date;
  random?: () => number;
}

/** What the queue should do with the message: forget it, or show it again after a pause. */
export type AttemptOutcome = { retryAfterSeconds: number } | { done: true };

const DONE: AttemptOutcome = { done: true };

export function createDeliveryService(deps: DeliveryServiceDependencies) {
  const newDelivery = (event: WebhookEvent, endpoint: WebhookEndpoint): WebhookDelivery => ({
    id: deliveryId(event.id, endpoint.id),
    endpointId: endpoint.id,
    partnerTenantId: endpoint.partnerTenantId,
    event,
    status: 'Pending',
    attemptCount: 0,
    cycleAttemptCount: 0,
    createdTime: deps.now().toISOString(),
  });

  const messageFor = (delivery: WebhookDelivery): DeliveryMessage => ({
    kind: 'delivery',
    partnerTenantId: delivery.partnerTenantId,
    endpointId: delivery.endpointId,
    deliveryId: delivery.id,
  });

  /** Keeps the failing streak and disables the endpoint once it reaches five days (emailing the admins once). */
  async function recordEndpointFailure(endpoint: WebhookEndpoint, now: Date) {
    const changed = await changeOneEndpoint(
      deps.endpoints,
      endpoint.partnerTenantId,
      endpoint.id,
      (current) => {
        const failing = { ...current, failingSince: failingSinceAfterFailure(current, now) };
        if (!shouldAutoDisable(failing, now)) return current.failingSince ? undefined : failing;
        return {
          ...failing,
          disabled: true,
          disabledReason: 'FailingForFiveDays',
          updatedTime: now.toISOString(),
        };
      },
    );
    if (changed && !changed.before.disabled && changed.after.disabled) {
      await deps.notifyEndpointDisabled(changed.after).catch((error: unknown) => {
        logger.error('Could not email the admins about a disabled webhook endpoint', {
          error: String(error),
        });
      });
    }
  }

  async function recordEndpointSuccess(endpoint: WebhookEndpoint) {
    if (!endpoint.failingSince) return;
    await changeOneEndpoint(deps.endpoints, endpoint.partnerTenantId, endpoint.id, (current) => {
      if (!current.failingSince) return undefined;
      const { failingSince: _streak, ...healthy } = current;
      return healthy;
    });
  }

  /** One signed POST, recorded on the delivery; `retries: false` makes a failure final (test events). */
  async function attemptOnce(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    options: { retries: boolean },
  ): Promise<{ delivery: WebhookDelivery; outcome: AttemptOutcome }> {
    const body = await renderEventBody(delivery.event, endpoint.partnerTenantId, endpoint.id, deps.transfers);
    if (body === undefined) {
      const skipped = finalFailure(delivery, 'The transfer is not visible to this partner');
      await deps.deliveries.saveDelivery(skipped);
      return { delivery: skipped, outcome: DONE };
    }
    const sentAt = deps.now();
    const response = await deps.sender.send({
      url: endpoint.url,
      headers: {
        ...signedHeaders(delivery.event.id, sentAt, body, signingSecrets(endpoint.secrets, sentAt)),
      },
      body,
    });
    const {
      lastError: _e,
      lastStatusCode: _s,
      lastResponseExcerpt: _r,
      nextAttemptTime: _n,
      ...rest
    } = delivery;
    const attempted: WebhookDelivery = {
      ...rest,
      attemptCount: delivery.attemptCount + 1,
      cycleAttemptCount: delivery.cycleAttemptCount + 1,
      lastAttemptTime: sentAt.toISOString(),
      ...(response.statusCode === undefined ? {} : { lastStatusCode: response.statusCode }),
      ...(response.responseExcerpt ? { lastResponseExcerpt: response.responseExcerpt } : {}),
    };
    if (response.delivered) {
      const succeeded: WebhookDelivery = { ...attempted, status: 'Succeeded' };
      await deps.deliveries.saveDelivery(succeeded);
      await recordEndpointSuccess(endpoint);
      return { delivery: succeeded, outcome: DONE };
    }
    const next = options.retries
      ? nextAttemptAfterFailure(attempted.cycleAttemptCount, deps.retryDelaysSeconds, deps.random)
      : ({ retry: false } as const);
    const failed: WebhookDelivery = next.retry
      ? {
          ...attempted,
          lastError: response.error,
          nextAttemptTime: new Date(sentAt.getTime() + next.delaySeconds * 1000).toISOString(),
        }
      : { ...attempted, status: 'Failed', lastError: response.error };
    await deps.deliveries.saveDelivery(failed);
    await recordEndpointFailure(endpoint, sentAt);
    return { delivery: failed, outcome: next.retry ? { retryAfterSeconds: next.delaySeconds } : DONE };
  }

  function finalFailure(delivery: WebhookDelivery, reason: string): WebhookDelivery {
    const { nextAttemptTime: _next, ...rest } = delivery;
    return { ...rest, status: 'Failed', lastError: reason };
  }

  async function findEndpoint(tenantId: string, endpointId: string) {
    const { endpoints } = await deps.endpoints.getEndpoints(tenantId);
    return endpoints.find((endpoint) => endpoint.id === endpointId);
  }

  return {
    /** Creates the deliveries of one event and queues them; repeating it for the same event adds nothing. */
    async fanOut(event: WebhookEvent): Promise<number> {
      if (event.subject.kind !== 'transfer') return 0;
      const transfer = await deps.transfers.get(event.subject.customerId, event.subject.transferId);
      if (!transfer) {
        logger.warn('Event for a transfer that does not exist', { eventId: event.id });
        return 0;
      }
      let queued = 0;
      for (const partner of transferParties(transfer)) {
        const { endpoints } = await deps.endpoints.getEndpoints(partner);
        for (const endpoint of endpoints) {
          if (endpoint.disabled || !isSubscribedTo(endpoint.events, event.type)) continue;
          const delivery = newDelivery(event, endpoint);
          const created = await deps.deliveries.createDelivery(delivery);
          const existing = created ? delivery : await deps.deliveries.getDelivery(endpoint.id, delivery.id);
          // A repeated fan-out re-queues only what was never attempted (its first message may be lost).
          if (existing && existing.status === 'Pending' && existing.cycleAttemptCount === 0) {
            await deps.queue.enqueue(messageFor(existing));
            queued++;
          }
        }
      }
      return queued;
    },

    /** The queue's message for one delivery: attempt it unless it is already settled. */
    async attempt(message: DeliveryMessage): Promise<AttemptOutcome> {
      const delivery = await deps.deliveries.getDelivery(message.endpointId, message.deliveryId);
      if (delivery?.status !== 'Pending') return DONE;
      const endpoint = await findEndpoint(message.partnerTenantId, message.endpointId);
      if (!endpoint || endpoint.disabled) {
        await deps.deliveries.saveDelivery(
          finalFailure(delivery, endpoint ? 'The endpoint is disabled' : 'The endpoint was deleted'),
        );
        return DONE;
      }
      return (await attemptOnce(delivery, endpoint, { retries: true })).outcome;
    },

    /** Sends a webhook.test event to the endpoint now: one attempt, recorded as a delivery. */
    async sendTest(endpoint: WebhookEndpoint, eventId: string): Promise<WebhookDelivery> {
      const event: WebhookEvent = {
        id: eventId,
        type: 'webhook.test',
        occurredTime: deps.now().toISOString(),
        subject: { kind: 'test' },
      };
      const delivery = newDelivery(event, endpoint);
      await deps.deliveries.createDelivery(delivery);
      return (await attemptOnce(delivery, endpoint, { retries: false })).delivery;
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
