// A partner's webhook receiver for tests: a real HTTP server on loopback that records every request (headers and raw
// body) and answers with the status the test scripts, e.g. 500 for the first three requests.
import { createServer, type IncomingMessage } from 'node:http';
import { listen } from '#local/listen.ts';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  url(path?: string): string;
  received: ReceivedWebhook[];
  /** Status codes to answer with, in order; 204 once they run out. */
  respondWith(statuses: number[]): void;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let scripted: number[] = [];
  const server = createServer((request, response) => {
    bodyOf(request).then((body) => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      received.push({ path: request.url ?? '/', headers, body });
      const status = scripted.shift() ?? 204;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status >= 300 ? `failure ${status} ${'x'.repeat(1000)}` : '');
    });
  });
  const port = await listen(server, '127.0.0.1', 0, 'webhook receiver');
  return {
    url: (path = '/hooks') => `http://127.0.0.1:${port}${path}`,
    received,
    respondWith: (statuses) => {
      scripted = [...statuses];
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
