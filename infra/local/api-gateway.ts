// API Gateway (REST, v1) stand-in: HTTP in, proxy events out. It runs the authorizer first, then the route's
// handler from the shared route table, the way API Gateway would, so handlers cannot tell the difference.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import type { RouteDefinition } from '#api/routes.ts';
import { corsPreflightHeaders, corsResponseHeaders } from '#shared/http/cors.ts';
import { inProcessLambdaContext } from '#shared/in-process-lambda-context.ts';
import { listen } from './listen.ts';
import { compileRoutes, matchRoute } from './route-matcher.ts';
import { AUTHORIZER_FUNCTION, runAsFunction } from './running-function.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
export type TokenAuthorizer = (
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;

export interface ApiGatewayOptions {
  host: string;
  port: number;
  stage: string;
  routes: readonly RouteDefinition[];
  loadHandler(route: RouteDefinition): Promise<ProxyHandler>;
  authorizer: TokenAuthorizer;
  /** The console's origin, the one origin allowed cross-origin (known once the console listens). */
  corsOrigin?: () => string | undefined;
  /** Extra read-only documents served as-is (the local JWKS). */
  staticDocuments?: Record<string, unknown>;
}

export interface RunningApiGateway {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const API_ID = 'local';
const ACCOUNT_ID = '000000000000';
// API Gateway's own payload limit; our handlers enforce the much smaller API limit themselves.
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

function sendJson(
  response: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

const gatewayError = (code: string, description: string) => ({ code, description, details: [] });

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_PAYLOAD_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headerMaps(request: IncomingMessage) {
  // Prototype-free maps: a header or parameter named `__proto__` must be just a name.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    const value = request.rawHeaders[i + 1] ?? '';
    headers[name] = value;
    const values = multiValueHeaders[name] ?? [];
    values.push(value);
    multiValueHeaders[name] = values;
  }
  return { headers, multiValueHeaders };
}

function queryMaps(url: URL) {
  if ([...url.searchParams.keys()].length === 0) return { single: null, multi: null };
  const single: Record<string, string> = Object.create(null);
  const multi: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi };
}

/** Concatenated, not resolved against a base: a path starting with `//` is a path, not a host. */
function requestUrl(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return undefined;
  }
}

function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

export async function startApiGateway(options: ApiGatewayOptions): Promise<RunningApiGateway> {
  const compiled = compileRoutes(options.routes);
  const handlers = new Map<string, Promise<ProxyHandler>>();
  const handlerFor = (route: RouteDefinition) => {
    let handler = handlers.get(route.id);
    if (!handler) {
      handler = options.loadHandler(route);
      handlers.set(route.id, handler);
    }
    return handler;
  };

  async function authorize(headers: Record<string, string>, method: string, path: string) {
    const authorization = findHeader(headers, 'authorization');
    // API Gateway answers 401 itself when the identity source is missing, without calling the authorizer.
    if (!authorization) return undefined;
    const methodArn = `arn:aws:execute-api:us-east-1:${ACCOUNT_ID}:${API_ID}/${options.stage}/${method}${path}`;
    try {
      const result = await runAsFunction(AUTHORIZER_FUNCTION, () =>
        options.authorizer(
          { type: 'TOKEN', authorizationToken: authorization, methodArn },
          inProcessLambdaContext('authorizer'),
        ),
      );
      const allowed = result.policyDocument.Statement.some((statement) => statement.Effect === 'Allow');
      return allowed ? result : 'denied';
    } catch {
      return undefined;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const consoleOrigin = options.corsOrigin?.();
    // Like API Gateway's CORS preflight and gateway responses: the console origin may call, nobody else.
    for (const [name, value] of Object.entries(corsResponseHeaders(consoleOrigin)))
      response.setHeader(name, value);
    if (request.method === 'OPTIONS' && consoleOrigin && request.headers.origin === consoleOrigin) {
      response.writeHead(204, corsPreflightHeaders(consoleOrigin));
      response.end();
      return;
    }
    const url = requestUrl(request.url);
    if (!url)
      return sendJson(response, 400, gatewayError('BadRequest', 'The request target is not a valid path.'));
    const method = (request.method ?? 'GET').toUpperCase();
    const staticDocument = options.staticDocuments?.[url.pathname];
    if (staticDocument !== undefined && method === 'GET') return sendJson(response, 200, staticDocument);

    const match = matchRoute(compiled, method, url.pathname);
    if (match.kind === 'not-found') {
      return sendJson(
        response,
        404,
        gatewayError('RouteNotFound', `No route matches ${method} ${url.pathname}.`),
      );
    }
    if (match.kind === 'method-not-allowed') {
      return sendJson(
        response,
        405,
        gatewayError(
          'MethodNotAllowed',
          `${method} is not allowed on ${url.pathname}; use ${match.allowed.join(', ')}.`,
        ),
        { allow: match.allowed.join(', ') },
      );
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      return sendJson(
        response,
        413,
        gatewayError('PayloadTooLarge', "The request exceeds API Gateway's 10 MB limit."),
      );
    }
    const { headers, multiValueHeaders } = headerMaps(request);
    const { route, pathParameters } = match;
    let authorizerContext: Record<string, unknown> | null = null;
    if (route.authorized) {
      const authorization = await authorize(headers, method, url.pathname);
      if (authorization === undefined) {
        return sendJson(response, 401, gatewayError('Unauthorized', 'A valid bearer token is required.'));
      }
      if (authorization === 'denied') {
        return sendJson(
          response,
          403,
          gatewayError('AccessDenied', 'The token does not allow this request.'),
        );
      }
      authorizerContext = { principalId: authorization.principalId, ...authorization.context };
    }
    const query = queryMaps(url);
    const requestId = randomUUID();
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
      stageVariables: null,
      body: body.byteLength > 0 ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: ACCOUNT_ID,
        apiId: API_ID,
        authorizer: authorizerContext,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          user: null,
          userAgent: findHeader(headers, 'user-agent') ?? null,
          userArn: null,
        },
        path: `/${options.stage}${url.pathname}`,
        protocol: 'HTTP/1.1',
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: route.id,
        resourcePath: route.path,
        stage: options.stage,
      },
    };
    try {
      const handler = await handlerFor(route);
      const result = await runAsFunction({ kind: 'route', id: route.id }, async () =>
        handler(event, inProcessLambdaContext(route.id)),
      );
      const responseHeaders: Record<string, string | string[]> = { 'x-amzn-requestid': requestId };
      for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
        responseHeaders[name] = values.map(String);
      }
      response.writeHead(result.statusCode, responseHeaders);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      // What API Gateway does when the integration itself fails: a 502 that reveals nothing.
      console.error(`[api] ${route.id} failed:`, error);
      sendJson(response, 502, gatewayError('BadGateway', 'The integration failed; it is safe to retry.'));
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[api] request failed:', error);
      if (!response.headersSent) sendJson(response, 500, gatewayError('InternalError', 'Internal error.'));
      else response.end();
    });
  });
  const port = await listen(server, options.host, options.port, 'API');
  const url = `http://${options.host}:${port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
