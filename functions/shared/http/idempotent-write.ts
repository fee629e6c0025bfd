// MS-RequestId: a retried write with the same request id and the same request replays the first answer instead of
// acting twice. Built on the storage's idempotency records (begin / complete / abandon), keyed by the caller's
// tenant, user and request id, with a fingerprint of the request (method, route, path parameters, body) and of the
// caller's roles: another user's request with the same id is a different request, never a replay of this one.
//
//   same id, same request, first one finished  -> the stored response (same status and body), nothing runs again
//   same id, same request, first one running   -> 409 RequestInProgress with Retry-After (retry with the same id)
//   same id, another request (or other roles)  -> 422 RequestIdReused (a new request needs a new id)
//
// What is remembered: every answer below 500 that the operation itself decided (successes, domain refusals, API
// errors), so a retry learns what the first attempt did. Never remembered (the record is dropped, a retry runs
// again): 5xx answers, storage failures, 401 and 403 (they depend on who asks, not on the request), and 409
// ConcurrentModification (a lost optimistic-concurrency race that the same request may win on retry).
//
// Why not @aws-lambda-powertools/idempotency (evaluated at 2.35, the version of our other Powertools packages; it
// does run against dynalite): it persists whatever the wrapped function returns, under a hash of a JMESPath
// selection of the event, as one uncompressed JSON string. Our header semantics need what it does not offer:
// choosing per answer whether it is remembered (401/403/5xx/ConcurrentModification are not, domain refusals are),
// a key that names tenant and user rather than a payload hash, gzip for the replies of 1,000-line-item transfers
// (it would exceed DynamoDB's 400 KB item limit), and our single-table key layout (it brings its own attribute
// names and expiry model). Wrapping it to get those back would leave more code than this store, not less.
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { IdempotencyKey, IdempotencyStore, StoredResponse } from '#application/ports.ts';
import { DomainError } from '#domain/errors.ts';
import type { Caller } from '#domain/model.ts';
import { logger } from '#shared/logger.ts';
import { ApiError } from './api-error.ts';
import type { ApiResult } from './api-handler.ts';
import { toApiError } from './error-response.ts';
import { readJsonBody } from './json-body.ts';

/** Seconds a client should wait before retrying while the first attempt still runs. */
export const REQUEST_IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/** Set on a replayed response, so clients and logs can tell a replay from a fresh answer. */
export const IDEMPOTENT_REPLAY_HEADER = 'MS-Idempotent-Replay';

/** The parts of an API request the idempotency check reads. */
export interface IdempotentWriteRequest {
  caller: Caller;
  requestId: string | undefined;
  event: Pick<
    APIGatewayProxyEvent,
    'httpMethod' | 'resource' | 'path' | 'pathParameters' | 'body' | 'isBase64Encoded'
  >;
}

/** JSON with object keys sorted, so the same body always hashes the same however the client ordered it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 of method, route, path parameters, canonical body and the caller's roles (in any order). */
export function requestFingerprint(
  event: IdempotentWriteRequest['event'],
  roles: readonly string[] = [],
): string {
  const route = event.resource || event.path;
  const parts = [
    event.httpMethod.toUpperCase(),
    route,
    canonicalJson(event.pathParameters ?? {}),
    canonicalJson(readJsonBody(event as APIGatewayProxyEvent) ?? null),
    [...new Set(roles)].sort().join(','),
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function requestInProgress(): ApiResult {
  return {
    statusCode: 409,
    headers: { 'Retry-After': String(REQUEST_IN_PROGRESS_RETRY_AFTER_SECONDS) },
    body: new ApiError(
      409,
      'RequestInProgress',
      'An earlier request with this MS-RequestId is still being processed. Retry in a moment with the same ' +
        'MS-RequestId to receive its result.',
    ).toBody(),
  };
}

const requestIdReused = () =>
  new ApiError(
    422,
    'RequestIdReused',
    'This MS-RequestId was already used for a different request (method, path or body). Send a new request ' +
      'with a new MS-RequestId.',
    [
      {
        field: 'header.MS-RequestId',
        code: 'RequestIdReused',
        description: 'already used for another request',
      },
    ],
  );

function replayed(stored: StoredResponse): ApiResult {
  return {
    statusCode: stored.statusCode,
    headers: { ...stored.headers, [IDEMPOTENT_REPLAY_HEADER]: 'true' },
    ...(stored.body === undefined || stored.body === '' ? {} : { body: JSON.parse(stored.body) as unknown }),
  };
}

/** Only answers the operation decided are worth replaying; see the header comment. */
function isRememberedStatus(statusCode: number, code?: string): boolean {
  return statusCode < 500 && statusCode !== 401 && statusCode !== 403 && code !== 'ConcurrentModification';
}

/** The response a thrown refusal becomes, if it is one to remember; undefined for failures. */
function rememberedRefusal(error: unknown): StoredResponse | undefined {
  if (!(error instanceof DomainError) && !(error instanceof ApiError)) return undefined;
  const apiError = toApiError(error);
  if (!isRememberedStatus(apiError.statusCode, apiError.code)) return undefined;
  return { statusCode: apiError.statusCode, body: JSON.stringify(apiError.toBody()) };
}

/**
 * Runs `perform` at most once per (tenant, user, MS-RequestId). Without an MS-RequestId it simply runs it.
 * Refusals thrown by `perform` keep propagating (the API handler renders them), after being remembered.
 */
export async function idempotentWrite(
  store: IdempotencyStore,
  request: IdempotentWriteRequest,
  perform: () => Promise<ApiResult>,
): Promise<ApiResult> {
  const { requestId } = request;
  if (requestId === undefined) return perform();
  const key: IdempotencyKey = {
    tenantId: request.caller.tenantId,
    userId: request.caller.userId,
    requestId,
  };
  const fingerprint = requestFingerprint(request.event, request.caller.roles);

  const begun = await store.begin(key, fingerprint);
  if (begun === 'in-progress') return requestInProgress();
  if (begun === 'fingerprint-mismatch') throw requestIdReused();
  if (begun !== 'new') return replayed(begun.replay);

  const remember = async (response: StoredResponse) => {
    try {
      const stored = await store.complete(key, fingerprint, response);
      if (!stored) logger.warn('Idempotency record was taken over before completion', { requestId });
    } catch (error) {
      // The write itself succeeded: answer it. A retry re-runs, and every write here is safe to re-run.
      logger.error('Could not store the idempotent response', { requestId, error: String(error) });
    }
  };
  const forget = async () => {
    try {
      await store.abandon(key, fingerprint);
    } catch (error) {
      // The in-progress marker lapses on its own after its lock time.
      logger.error('Could not drop the idempotency record', { requestId, error: String(error) });
    }
  };

  let result: ApiResult;
  try {
    result = await perform();
  } catch (error) {
    const refusal = rememberedRefusal(error);
    if (refusal) await remember(refusal);
    else await forget();
    throw error;
  }
  const body = result.body === undefined ? undefined : JSON.stringify(result.body);
  const code =
    typeof result.body === 'object' && result.body !== null && 'code' in result.body
      ? String((result.body as { code: unknown }).code)
      : undefined;
  if (isRememberedStatus(result.statusCode, code)) {
    await remember({
      statusCode: result.statusCode,
      ...(result.headers && Object.keys(result.headers).length > 0 ? { headers: result.headers } : {}),
      ...(body === undefined ? {} : { body }),
    });
  } else {
    await forget();
  }
  return result;
}
