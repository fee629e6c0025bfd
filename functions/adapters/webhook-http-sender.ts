// One HTTP POST of a signed webhook to a partner's endpoint, defensively: connect and whole-response timeouts, no
// redirects followed (a 3xx is a failure), on AWS only to public addresses (checked on the address the socket
// actually connects to, so DNS cannot point a saved host somewhere internal later), and only a short excerpt of the
// receiver's answer is kept.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookHttpSender, WebhookResponse } from '#application/webhook-ports.ts';
import { checkEndpointUrl, isPublicAddress, type UrlPolicy } from '#domain/webhooks/endpoint-url.ts';

export const CONNECT_TIMEOUT_MS = 5_000;
/** The contract: a 2xx within 10 s is a success. */
export const RESPONSE_TIMEOUT_MS = 10_000;
/** The receiver's answer is read up to this many bytes, then the connection is dropped. */
const MAX_RESPONSE_BYTES = 16 * 1024;
export const RESPONSE_EXCERPT_MAX_CHARS = 256;
/** The largest body we send (a transfer with 1,000 line items stays well below). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
}

/** A DNS lookup that refuses to hand the socket any non-public address. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const forbidden = addresses.find((entry) => !isPublicAddress(entry.address));
    if (forbidden || addresses.length === 0) {
      return callback(
        new ForbiddenAddressError(`${hostname} resolves to a non-public address`) as NodeJS.ErrnoException,
        '',
        0,
      );
    }
    if (options.all) return callback(null, addresses as unknown as string, 0);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

const excerptOf = (bytes: Buffer) => bytes.toString('utf8').slice(0, RESPONSE_EXCERPT_MAX_CHARS);

function describeError(error: unknown): string {
  if (error instanceof ForbiddenAddressError) return error.message;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (typeof code === 'string' ? `${code}: ${message}` : message).slice(0, RESPONSE_EXCERPT_MAX_CHARS);
}

export interface SenderTimeouts {
  /** Until the TCP connection stands. */
  connectMs: number;
  /** From the request until the whole answer is in. */
  responseMs: number;
}

const DEFAULT_TIMEOUTS: SenderTimeouts = { connectMs: CONNECT_TIMEOUT_MS, responseMs: RESPONSE_TIMEOUT_MS };

export function createWebhookHttpSender(
  policy: UrlPolicy,
  timeouts: SenderTimeouts = DEFAULT_TIMEOUTS,
): WebhookHttpSender {
  return {
    send(request) {
      const verdict = checkEndpointUrl(request.url, policy);
      if (!verdict.ok) return Promise.resolve({ delivered: false, error: `Refused URL: ${verdict.reason}` });
      const body = Buffer.from(request.body, 'utf8');
      if (body.byteLength > MAX_WEBHOOK_BODY_BYTES) {
        return Promise.resolve({ delivered: false, error: 'The event body is larger than 1 MiB' });
      }
      const client = verdict.url.protocol === 'https:' ? https : http;
      // The literal-address checks already ran; for host names the lookup checks what DNS answers now.
      const lookup = policy === 'public-https' ? publicOnlyLookup : undefined;
      return new Promise<WebhookResponse>((resolve) => {
        let settled = false;
        const finish = (response: WebhookResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve(response);
        };
        const outgoing = client.request(verdict.url, {
          method: 'POST',
          headers: {
            ...request.headers,
            'content-length': String(body.byteLength),
            'user-agent': 'partner-transfers-webhooks/1',
          },
          ...(lookup ? { lookup } : {}),
          timeout: timeouts.connectMs,
          agent: false,
        });
        const deadline = setTimeout(() => {
          outgoing.destroy(new Error(`No complete answer within ${timeouts.responseMs / 1000} s`));
        }, timeouts.responseMs);
        // The socket timeout only guards the connect: once connected, a receiver may take the whole response time.
        outgoing.on('socket', (socket) => socket.once('connect', () => socket.setTimeout(0)));
        outgoing.on('timeout', () => outgoing.destroy(new Error('Connection timed out')));
        outgoing.on('error', (error) => finish({ delivered: false, error: describeError(error) }));
        outgoing.on('response', (incoming) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const statusCode = incoming.statusCode ?? 0;
          const complete = () => {
            const responseExcerpt = excerptOf(Buffer.concat(chunks));
            if (statusCode >= 200 && statusCode < 300)
              finish({ delivered: true, statusCode, responseExcerpt });
            else finish({ delivered: false, statusCode, error: `HTTP ${statusCode}`, responseExcerpt });
          };
          incoming.on('data', (chunk: Buffer) => {
            size += chunk.byteLength;
            if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
            else {
              complete();
              incoming.destroy();
            }
          });
          incoming.on('end', complete);
          incoming.on('error', (error) =>
            finish({ delivered: false, statusCode, error: describeError(error) }),
          );
        });
        outgoing.end(body);
      });
    },
  };
}
