// The one way to write an API route: middy with Powertools' middlewares (log context, metrics, tracing), header and
// event normalisation, correlation ids, JSON body parsing, schema validation of path, query and body, and a single
// error mapping. Handlers only write the route's logic.
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Caller } from '#domain/model.ts';
import { logger } from '#shared/logger.ts';
import { instrumentedMiddy } from '#shared/observability/instrument.ts';
import * as z from '#shared/zod.ts';
import { callerFromEvent } from './caller.ts';
import { correlationIdFor } from './correlation-id.ts';
import { corsResponseHeaders } from './cors.ts';
import { jsonResponse, toApiError } from './error-response.ts';
import { readJsonBody } from './json-body.ts';
import { parsePart } from './validation.ts';

const REQUEST_ID_SCHEMA = z.string().check(z.trim(), z.minLength(1), z.maxLength(128));

export interface ApiRequest<Params, Query, Body> {
  caller: Caller;
  params: Params;
  query: Query;
  body: Body;
  correlationId: string;
  /** MS-RequestId: the client's key that makes a retried write idempotent. */
  requestId: string | undefined;
  event: APIGatewayProxyEvent;
}

export interface ApiResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type AnySchema = z.ZodMiniType;
type Out<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

export interface RouteSpec<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
> {
  params?: P;
  query?: Q;
  body?: B;
  /** Routes without a token (health) set this to false. */
  authorized?: boolean;
}

/** What a route with these schemas receives: each part as its schema parsed it (undefined without a schema). */
export type RouteRequest<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
> = ApiRequest<Out<P>, Out<Q>, Out<B>>;

const EMPTY_QUERY = z.strictObject({});

export function defineApiHandler<
  P extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  B extends AnySchema | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
  route: (request: RouteRequest<P, Q, B>) => Promise<ApiResult>,
): (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult> {
  const core = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const headers = event.headers ?? {};
    const correlationId = correlationIdFor(headers['ms-correlationid']);
    const rawRequestId = headers['ms-requestid'];
    const echo: Record<string, string> = {
      ...corsResponseHeaders(process.env.CONSOLE_ORIGIN),
      'MS-CorrelationId': correlationId,
    };
    logger.appendKeys({ correlationId, path: event.path, method: event.httpMethod });
    try {
      const requestId =
        rawRequestId === undefined ? undefined : parsePart('header', REQUEST_ID_SCHEMA, rawRequestId);
      if (requestId) echo['MS-RequestId'] = requestId;
      const caller =
        spec.authorized === false ? { tenantId: '', userId: 'anonymous', roles: [] } : callerFromEvent(event);
      logger.appendKeys({ tenantId: caller.tenantId, userId: caller.userId });
      const params = spec.params ? parsePart('path', spec.params, event.pathParameters ?? {}) : undefined;
      const query = parsePart('query', spec.query ?? EMPTY_QUERY, event.queryStringParameters ?? {});
      const rawBody = readJsonBody(event);
      const body = spec.body ? parsePart('body', spec.body, rawBody ?? {}) : undefined;
      if (!spec.body && rawBody !== undefined && event.httpMethod !== 'GET') {
        // A body where none belongs is a client mistake worth naming rather than ignoring.
        parsePart('body', z.strictObject({}), rawBody);
      }
      const result = await route({
        caller,
        params: params as Out<P>,
        query: (spec.query ? query : undefined) as Out<Q>,
        body: body as Out<B>,
        correlationId,
        requestId,
        event,
      });
      return jsonResponse(result.statusCode, result.body, { ...echo, ...result.headers });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.statusCode >= 500) logger.error('Request failed', { code: apiError.code });
      else logger.info('Request refused', { code: apiError.code, statusCode: apiError.statusCode });
      return jsonResponse(apiError.statusCode, apiError.toBody(), echo);
    } finally {
      logger.resetKeys();
    }
  };
  return instrumentedMiddy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .handler(core);
}
