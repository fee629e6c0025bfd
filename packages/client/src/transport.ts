// The fetch every call of the client goes through: bearer token (asked again once after a 401), an MS-RequestId on
// every write (the same one on each of its retries, so the API acts once), an MS-CorrelationId on every call, and
// retries with backoff on 429, 5xx, RequestInProgress and network errors for reads and for writes with a request id.

import { ApiUnreachableError } from './errors.ts';
import {
  backoffDelay,
  isRetryableStatus,
  type RetryOptions,
  type RetryPolicy,
  retryAfterDelay,
  retryPolicy,
  sleep,
} from './retry-policy.ts';

/** Returns a bearer token; `forceRefresh` is true after the API refused the previous one with 401. */
export type TokenProvider = (context: { forceRefresh: boolean }) => string | Promise<string>;

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  method: string;
  url: string;
  /** The status that caused the retry, or the network error. */
  reason: number | Error;
}

export interface TransportOptions {
  /** A token, or a function that returns one (called per request: cache inside it). */
  token: string | TokenProvider;
  retry?: RetryOptions;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (event: RetryEvent) => void;
  /** Extra headers on every request (e.g. User-Agent on Node). */
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function newRequestId(): string {
  return globalThis.crypto.randomUUID();
}

async function isRequestInProgress(response: Response): Promise<boolean> {
  if (response.status !== 409) return false;
  try {
    const body: unknown = await response.clone().json();
    return (
      typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 'RequestInProgress'
    );
  } catch {
    return false;
  }
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  const policy: RetryPolicy = retryPolicy(options.retry);
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const tokenProvider: TokenProvider =
    typeof options.token === 'function' ? options.token : () => options.token as string;
  const canRefresh = typeof options.token === 'function';

  return async function send(request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (!headers.has('ms-correlationid')) headers.set('MS-CorrelationId', newRequestId());
    const isWrite = !SAFE_METHODS.has(method);
    if (isWrite && !headers.has('ms-requestid')) headers.set('MS-RequestId', newRequestId());
    // Read once so every attempt sends the same bytes (request bodies here are small JSON documents).
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const signal = request.signal;

    let forceRefresh = false;
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      headers.set('Authorization', `Bearer ${await tokenProvider({ forceRefresh })}`);
      let response: Response;
      try {
        response = await fetchImpl(new Request(request.url, { method, headers, body, signal }));
      } catch (error) {
        if (isAbort(error, signal)) throw error;
        if (attempt >= policy.attempts) {
          throw new ApiUnreachableError({
            method,
            url: request.url,
            attempts: attempt,
            correlationId: headers.get('ms-correlationid') ?? undefined,
            cause: error,
          });
        }
        const delayMs = backoffDelay(policy, attempt);
        options.onRetry?.({ attempt, delayMs, method, url: request.url, reason: error as Error });
        await sleep(delayMs, signal);
        continue;
      }
      if (response.status === 401 && canRefresh && !refreshed) {
        refreshed = true;
        forceRefresh = true;
        attempt -= 1; // a refreshed token is not a retry of a failure
        await response.body?.cancel();
        continue;
      }
      forceRefresh = false;
      const retryable = isRetryableStatus(response.status) || (await isRequestInProgress(response));
      if (!retryable || attempt >= policy.attempts) return response;
      const delayMs =
        retryAfterDelay(response.headers.get('retry-after'), policy) ?? backoffDelay(policy, attempt);
      options.onRetry?.({ attempt, delayMs, method, url: request.url, reason: response.status });
      await response.body?.cancel();
      await sleep(delayMs, signal);
    }
  };
}
