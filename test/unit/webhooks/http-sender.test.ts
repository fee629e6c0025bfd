// The webhook HTTP sender against a real receiver on loopback: a 2xx is a delivery and only a short excerpt of the
// answer is kept; a redirect is a failure and is not followed; the connect timeout does not cut a receiver that
// answers within the response time; no answer within the response time, or a body over 1 MiB, is a failure.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWebhookHttpSender,
  MAX_WEBHOOK_BODY_BYTES,
  RESPONSE_EXCERPT_MAX_CHARS,
} from '#adapters/webhook-http-sender.ts';
import { listen } from '#local/listen.ts';

const requests: { path: string; headers: Record<string, unknown> }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', headers: request.headers });
    request.resume();
    request.on('end', () => {
      if (request.url === '/ok') response.writeHead(200).end('y'.repeat(5000));
      else if (request.url === '/redirect') response.writeHead(302, { location: `${base}/target` }).end();
      else if (request.url === '/slow') setTimeout(() => response.writeHead(204).end(), 400);
      else if (request.url === '/never') return;
      else response.writeHead(204).end();
    });
  });
  base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0, 'receiver')}`;
});

afterAll(
  () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
);

const send = (path: string, timeouts = { connectMs: 100, responseMs: 2_000 }, body = '{"type":"x"}') =>
  createWebhookHttpSender('local-cloud', timeouts).send({
    url: `${base}${path}`,
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
    body,
  });

describe('webhook HTTP sender', () => {
  it('delivers on a 2xx, sends the headers, and keeps a capped excerpt of the answer', async () => {
    const response = await send('/ok');
    expect(response).toMatchObject({ delivered: true, statusCode: 200 });
    expect(response.responseExcerpt).toHaveLength(RESPONSE_EXCERPT_MAX_CHARS);
    expect(requests.at(-1)?.headers).toMatchObject({
      'webhook-id': 'msg_1',
      'content-type': 'application/json',
    });
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const response = await send('/redirect');
    expect(response).toMatchObject({ delivered: false, statusCode: 302, error: 'HTTP 302' });
    expect(requests.some((request) => request.path === '/target')).toBe(false);
  });

  it('lets a connected receiver take longer than the connect timeout', async () => {
    expect(await send('/slow', { connectMs: 100, responseMs: 2_000 })).toMatchObject({
      delivered: true,
      statusCode: 204,
    });
  });

  it('gives up on a receiver that does not answer within the response time', async () => {
    const response = await send('/never', { connectMs: 100, responseMs: 300 });
    expect(response).toMatchObject({ delivered: false });
    expect(response.delivered ? '' : response.error).toMatch(/No complete answer/);
  });

  it('refuses a body over 1 MiB without connecting', async () => {
    const before = requests.length;
    const response = await send('/ok', undefined, 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1));
    expect(response).toMatchObject({ delivered: false, error: expect.stringMatching(/larger than 1 MiB/) });
    expect(requests).toHaveLength(before);
  });
});
