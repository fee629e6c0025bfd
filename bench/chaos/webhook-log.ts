// The partners' webhook receiver during a campaign: an HTTP server in the campaign's own process (so it outlives
// every kill of the cloud) that records each delivery and checks its Standard Webhooks signature with the secret the
// registration answered, as a partner's receiver would (README, "Verify the signature"). The campaign registers one
// endpoint per partner through the API before the workload starts; invariant 6 compares what arrived here with the
// events and deliveries the service stored (webhook-invariants.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { listen } from '#local/listen.ts';

/** One endpoint the campaign registered: what it subscribed to and the secret that signs its deliveries. */
export interface RegisteredEndpoint {
  /** The path of its URL on the receiver, one per registration attempt (tells a stray duplicate apart). */
  path: string;
  endpointId: string;
  partnerTenantId: string;
  events: string[];
  secret: string;
}

/** One request that reached the receiver. */
export interface ReceivedDelivery {
  /** Position in arrival order (a check asks only for deliveries received before its snapshot began). */
  index: number;
  path: string;
  /** The endpoint registered at that path; undefined: a path the campaign never registered (or not yet answered). */
  endpointId?: string;
  webhookId: string;
  /** Verified against the endpoint's secret (false also when the endpoint or a header is unknown). */
  signatureValid: boolean;
  type: string;
  transferId: string;
  sequence?: number;
}

interface EventBody {
  type?: unknown;
  data?: { sequence?: unknown; transfer?: { id?: unknown } };
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class WebhookLog {
  private readonly endpoints = new Map<string, RegisteredEndpoint>();
  private readonly deliveries: ReceivedDelivery[] = [];
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      bodyOf(request)
        .then((body) => this.receive(request, body))
        .catch(() => undefined)
        // Always a 2xx: a bad delivery is the campaign's finding, not a reason for the service to retry it.
        .finally(() => response.writeHead(204).end());
    });
    this.server = server;
    this.port = await listen(server, '127.0.0.1', 0, 'chaos webhook receiver');
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** True when the URL is one of this receiver's (another run's or another tool's endpoints are none of ours). */
  owns(url: string): boolean {
    return url.startsWith(`http://127.0.0.1:${this.port}/`);
  }

  register(endpoint: RegisteredEndpoint): void {
    this.endpoints.set(endpoint.path, endpoint);
  }

  registered(): RegisteredEndpoint[] {
    return [...this.endpoints.values()];
  }

  received(): readonly ReceivedDelivery[] {
    return this.deliveries;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(request: IncomingMessage, body: string): void {
    const path = request.url ?? '/';
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    const endpoint = this.endpoints.get(path);
    let signatureValid = false;
    if (endpoint) {
      try {
        // The reference library: HMAC-SHA256 of "id.timestamp.body", the timestamp within 5 minutes.
        new Webhook(endpoint.secret).verify(body, headers);
        signatureValid = true;
      } catch {
        signatureValid = false;
      }
    }
    let event: EventBody = {};
    try {
      event = JSON.parse(body) as EventBody;
    } catch {
      // An unreadable body still counts as a delivery (with an empty type): the checks name it.
    }
    const sequence = event.data?.sequence;
    this.deliveries.push({
      index: this.deliveries.length,
      path,
      ...(endpoint ? { endpointId: endpoint.endpointId } : {}),
      webhookId: headers['webhook-id'] ?? '',
      signatureValid,
      type: typeof event.type === 'string' ? event.type : '',
      transferId: typeof event.data?.transfer?.id === 'string' ? event.data.transfer.id : '',
      ...(typeof sequence === 'number' ? { sequence } : {}),
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registers an endpoint for the partner (admin token) pointing at the receiver, retried until the API answers (the
 * cloud runs with emulator faults). Each attempt has its own path: an attempt whose answer was lost may still have
 * stored an endpoint, and `removeStrays` deletes those, so that only endpoints whose secret is known stay.
 */
export async function registerEndpoint(
  log: WebhookLog,
  apiUrl: string,
  token: string,
  partnerTenantId: string,
  name: string,
  events: string[],
): Promise<RegisteredEndpoint> {
  for (let attempt = 1; ; attempt++) {
    const path = `/hooks/${name}/${attempt}`;
    let status = 0;
    try {
      const response = await fetch(`${apiUrl}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: log.url(path), events, description: `chaos campaign: ${name}` }),
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      const answer = (await response.json()) as { id?: string; secret?: string };
      if (status === 201 && answer.id && answer.secret) {
        const endpoint = { path, endpointId: answer.id, partnerTenantId, events, secret: answer.secret };
        log.register(endpoint);
        return endpoint;
      }
    } catch (error) {
      // A dropped answer or an unreadable one: try again (a stray endpoint it may have stored is removed later).
      if (attempt >= 10) throw error;
    }
    // A refusal is the campaign's mistake, not a fault: stop.
    if ((status >= 400 && status < 500) || attempt >= 10)
      throw new Error(`registering a webhook endpoint for ${name}: answered ${status}`);
    await sleep(500);
  }
}

/** Deletes the partner's endpoints on this receiver that the campaign holds no secret for (lost answers). */
export async function removeStrays(log: WebhookLog, apiUrl: string, token: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  const known = new Set(log.registered().map((endpoint) => endpoint.endpointId));
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${apiUrl}/v1/webhooks`, { headers, signal: AbortSignal.timeout(15_000) });
      if (!response.ok) throw new Error(`listing webhook endpoints: ${response.status}`);
      const { items } = (await response.json()) as { items: { id: string; url: string }[] };
      const strays = items.filter((item) => log.owns(item.url) && !known.has(item.id));
      for (const stray of strays) {
        const deleted = await fetch(`${apiUrl}/v1/webhooks/${stray.id}`, {
          method: 'DELETE',
          headers,
          signal: AbortSignal.timeout(15_000),
        });
        if (!deleted.ok && deleted.status !== 404)
          throw new Error(`deleting a stray endpoint: ${deleted.status}`);
      }
      return strays.length;
    } catch (error) {
      if (attempt >= 10) throw error;
      await sleep(500);
    }
  }
}
