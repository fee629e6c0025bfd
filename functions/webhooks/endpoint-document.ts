// Every change to a partner's endpoints is a read-modify-write of their one stored document, retried when another
// writer saved in between (the version check makes the write conditional).

import type { WebhookEndpointStore } from '#application/webhook-ports.ts';
import type { WebhookEndpoint } from '#domain/webhooks/model.ts';

const MAX_SAVE_ATTEMPTS = 5;

export class EndpointsKeptChangingError extends Error {
  override readonly name = 'EndpointsKeptChangingError';
}

/** `change` may throw to refuse; it returns the new list and what the caller gets back. */
export async function changePartnerEndpoints<T>(
  store: WebhookEndpointStore,
  tenantId: string,
  change: (endpoints: WebhookEndpoint[]) => { endpoints: WebhookEndpoint[]; result: T },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.getEndpoints(tenantId);
    const { endpoints, result } = change(current.endpoints);
    if (await store.saveEndpoints(tenantId, endpoints, current.version)) return result;
    if (attempt >= MAX_SAVE_ATTEMPTS) {
      throw new EndpointsKeptChangingError(`The webhook endpoints of ${tenantId} kept changing; retry`);
    }
  }
}

/** Replaces one endpoint through `update`; a vanished endpoint leaves the list as it is (result undefined). */
export function changeOneEndpoint(
  store: WebhookEndpointStore,
  tenantId: string,
  endpointId: string,
  update: (endpoint: WebhookEndpoint) => WebhookEndpoint | undefined,
): Promise<{ before: WebhookEndpoint; after: WebhookEndpoint } | undefined> {
  return changePartnerEndpoints(store, tenantId, (endpoints) => {
    const before = endpoints.find((endpoint) => endpoint.id === endpointId);
    const after = before ? update(before) : undefined;
    if (!before || !after) return { endpoints, result: undefined };
    return {
      endpoints: endpoints.map((endpoint) => (endpoint.id === endpointId ? after : endpoint)),
      result: { before, after },
    };
  });
}
