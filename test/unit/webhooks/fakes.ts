// In-memory stand-ins for the webhook ports: the stores keep what is saved (with the version check of the real
// document store), the sender answers with scripted results, the queue records what was queued.

import type { Page, PageRequest } from '#application/ports.ts';
import type {
  DeliveryMessage,
  PartnerEndpoints,
  WebhookDeliveryStore,
  WebhookEndpointStore,
  WebhookRequest,
  WebhookResponse,
} from '#application/webhook-ports.ts';
import type { WebhookDelivery, WebhookEndpoint } from '#domain/webhooks/model.ts';

export class InMemoryWebhookStore implements WebhookEndpointStore, WebhookDeliveryStore {
  readonly documents = new Map<string, PartnerEndpoints>();
  readonly deliveries = new Map<string, WebhookDelivery>();

  async getEndpoints(tenantId: string): Promise<PartnerEndpoints> {
    const document = this.documents.get(tenantId) ?? { endpoints: [], version: 0 };
    return structuredClone(document);
  }

  async saveEndpoints(tenantId: string, endpoints: WebhookEndpoint[], expectedVersion: number) {
    if ((this.documents.get(tenantId)?.version ?? 0) !== expectedVersion) return false;
    this.documents.set(tenantId, { endpoints: structuredClone(endpoints), version: expectedVersion + 1 });
    return true;
  }

  async getDelivery(endpointId: string, deliveryId: string) {
    const found = this.deliveries.get(`${endpointId}/${deliveryId}`);
    return found ? structuredClone(found) : undefined;
  }

  async createDelivery(delivery: WebhookDelivery) {
    const key = `${delivery.endpointId}/${delivery.id}`;
    if (this.deliveries.has(key)) return false;
    this.deliveries.set(key, structuredClone(delivery));
    return true;
  }

  async saveDelivery(delivery: WebhookDelivery) {
    this.deliveries.set(`${delivery.endpointId}/${delivery.id}`, structuredClone(delivery));
  }

  async listDeliveries(endpointId: string, _page: PageRequest): Promise<Page<WebhookDelivery>> {
    return { items: [...this.deliveries.values()].filter((delivery) => delivery.endpointId === endpointId) };
  }
}

export function scriptedSender(answers: WebhookResponse[] = []) {
  const requests: WebhookRequest[] = [];
  return {
    requests,
    answers,
    async send(request: WebhookRequest): Promise<WebhookResponse> {
      requests.push(request);
      return answers.shift() ?? { delivered: true, statusCode: 204, responseExcerpt: '' };
    },
  };
}

export function recordingQueue() {
  const messages: DeliveryMessage[] = [];
  return { messages, enqueue: async (message: DeliveryMessage) => void messages.push(message) };
}
