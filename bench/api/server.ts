// Child process of the API benchmark: the embedded local cloud (startLocalCloud, exactly as `npm start` runs it)
// and, in the same process and against the same emulators, the floor server that replays each operation's AWS
// calls with the raw SDK clients. The parent drives both with autocannon from another process, so the load
// generator never competes with the event loop it measures.
import '../support/quiet-sdk-warning.ts';
import '#local/polyfills.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { createDynamoDbClient } from '#adapters/dynamodb-client.ts';
import { createSfnClient } from '#adapters/transfer-workflow.ts';
import { ROUTES } from '#api/routes.ts';
import type { ProxyHandler, TokenAuthorizer } from '#local/api-gateway.ts';
import { AUTHORIZER_ENTRY, importHandler } from '#local/handler-modules.ts';
import { listen } from '#local/listen.ts';
import { ephemeralLocalCloudOptions, startLocalCloud } from '#local/local-cloud.ts';
import { inProcessLambdaContext } from '#shared/in-process-lambda-context.ts';
import { callApi, expectStatus } from '../support/api-client.ts';
import { planReplay, type ReplayPlan } from '../support/aws-call-replay.ts';
import { createAwsCallRecorder } from '../support/aws-call-trace.ts';
import { median } from '../support/stats.ts';
import {
  BENCH_CUSTOMER,
  createTransferBody,
  SANDBOX_IDS,
  TARGET_ADMIN,
  transfersPath,
} from '../support/transfer-requests.ts';
import { API_OPERATIONS, type ApiOperation, operationRequest, requestHeaders } from './api-routes.ts';
import {
  type ApiServerBreakdown,
  type ApiServerMessage,
  type ApiServerReady,
  type ApiServerSettled,
  BREAKDOWN_REQUEST,
  type OperationBreakdown,
  type OperationTrace,
  SETTLE_REQUEST,
} from './protocol.ts';

/** Transfers of the benchmark customer before measuring: what `list` returns (one page) and `get` reads. */
const EXISTING_TRANSFERS = 10;
/** Sequential in-process repetitions for the breakdown (fewer for create: each waits for its workflow). */
const BREAKDOWN_ITERATIONS = 60;
const CREATE_BREAKDOWN_ITERATIONS = 25;

const SETTLE_WINDOW_MS = 150;
const SETTLE_UTILISATION = 0.1;
const SETTLE_LIMIT_MS = 20_000;
const BREAKDOWN_SETTLE_WINDOW_MS = 30;

async function settle(windowMs = SETTLE_WINDOW_MS): Promise<ApiServerSettled> {
  const started = performance.now();
  let utilisation = 1;
  while (performance.now() - started < SETTLE_LIMIT_MS) {
    const before = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    utilisation = performance.eventLoopUtilization(before).utilization;
    if (utilisation < SETTLE_UTILISATION) break;
  }
  return { type: 'settled', waitedMs: performance.now() - started, utilisation };
}

/**
 * Median time of `run`, one call at a time. `settleEach`: wait for the background work of the previous call first
 * (a create starts a workflow that shares this process), so each sample is the call alone.
 */
async function timeSequential(
  iterations: number,
  run: () => Promise<unknown>,
  settleEach = false,
): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    if (settleEach) await settle(BREAKDOWN_SETTLE_WINDOW_MS);
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function proxyEvent(
  request: ReturnType<typeof operationRequest>,
  headers: Record<string, string>,
  authorizer: Record<string, unknown>,
): APIGatewayProxyEvent {
  const requestContext = {
    accountId: '000000000000',
    apiId: 'local',
    authorizer,
    httpMethod: request.method,
    path: `/local${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: crypto.randomUUID(),
    requestTimeEpoch: Date.now(),
    resourceId: request.routeId,
    resourcePath: ROUTES.find((route) => route.id === request.routeId)?.path ?? request.path,
    stage: 'local',
    identity: { sourceIp: '127.0.0.1', userAgent: 'bench' },
  } as unknown as APIGatewayProxyEvent['requestContext'];
  return {
    resource: requestContext.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext,
  };
}

async function main(): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'partner-transfers-bench-api-'));
  const cloud = await startLocalCloud({
    ...ephemeralLocalCloudOptions(join(home, 'signing-key.json')),
  });
  const token = await cloud.identity.signToken({
    tenantId: TARGET_ADMIN.tenantId,
    userId: TARGET_ADMIN.userId,
    roles: ['AdminAgent'],
  });
  let transferId = '';
  for (let i = 0; i < EXISTING_TRANSFERS; i += 1) {
    const created = await expectStatus<{ id: string }>(
      201,
      callApi(cloud.urls.api, 'POST', transfersPath(), { token, body: createTransferBody() }),
      'creating a transfer for the benchmark',
    );
    transferId = created.body.id;
  }
  const ids = { customerId: BENCH_CUSTOMER, transferId };

  // What each operation calls on AWS, recorded on a warm handler.
  const recorder = createAwsCallRecorder(cloud.urls);
  const clients = {
    dynamodb: createDynamoDbClient(),
    stepfunctions: createSfnClient(),
  };
  const plans = {} as Record<ApiOperation, ReplayPlan>;
  const traces = {} as Record<ApiOperation, OperationTrace>;
  const floorBodies = {} as Record<ApiOperation, Buffer>;
  for (const operation of API_OPERATIONS) {
    const request = operationRequest(operation, ids);
    const send = () =>
      callApi(cloud.urls.api, request.method, request.path, {
        headers: requestHeaders(request, token),
        ...(request.body === undefined ? {} : { body: JSON.parse(request.body) }),
      });
    await send();
    let response: Awaited<ReturnType<typeof send>> | undefined;
    const calls = await recorder.record(async () => {
      response = await send();
    });
    if (!response || response.status >= 300) {
      throw new Error(`${operation}: the API answered ${response?.status}: ${response?.text.slice(0, 300)}`);
    }
    if (calls.length === 0)
      throw new Error(`${operation}: no AWS call was recorded, the floor would be empty`);
    const plan = planReplay(calls, clients, { freshIds: operation === 'create', knownIds: SANDBOX_IDS });
    await plan.replay();
    plans[operation] = plan;
    floorBodies[operation] = Buffer.from('x'.repeat(Buffer.byteLength(response.text)));
    traces[operation] = {
      stages: plan.stages,
      awsCalls: calls.length,
      dynamoDbCalls: calls.filter((call) => call.service === 'dynamodb').length,
      responseBytes: Buffer.byteLength(response.text),
      responseStatus: response.status,
    };
  }
  recorder.close();

  let stopping = false;
  // The floor: an HTTP handler that reads the request, replays the AWS calls and answers as many bytes.
  const floor = createServer((request: IncomingMessage, response: ServerResponse) => {
    const operation = request.url?.slice(1) ?? '';
    request.resume();
    request.on('end', () => {
      if (operation === 'empty') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
        return;
      }
      const plan = plans[operation as ApiOperation];
      if (!plan) {
        response.writeHead(404).end();
        return;
      }
      plan.replay().then(
        () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(floorBodies[operation as ApiOperation]);
        },
        (error: unknown) => {
          if (!stopping) console.error(`[floor] ${operation} failed: ${String(error)}`);
          response.writeHead(500).end();
        },
      );
    });
  });
  const floorPort = await listen(floor, '127.0.0.1', 0, 'floor');

  // Where the time goes at one request at a time, without HTTP in between: asked for after the load cells, when
  // every code path is as warm as it was under load.
  const authorizer = await importHandler<TokenAuthorizer>(AUTHORIZER_ENTRY);
  const authorizerEvent: APIGatewayTokenAuthorizerEvent = {
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/local/GET/v1/partner',
  };
  const authorizerLambdaContext = inProcessLambdaContext('authorizer');
  const authorization = await authorizer(authorizerEvent, authorizerLambdaContext);
  const authorizerContext = { principalId: authorization.principalId, ...authorization.context };
  const measureBreakdown = async (): Promise<ApiServerBreakdown> => {
    const breakdown = {} as Record<ApiOperation, OperationBreakdown>;
    for (const operation of API_OPERATIONS) {
      const request = operationRequest(operation, ids);
      const route = ROUTES.find((candidate) => candidate.id === request.routeId);
      if (!route) throw new Error(`route ${request.routeId} is not in functions/api/routes.ts`);
      const handler = await importHandler<ProxyHandler>(route.entry);
      const settleEach = operation === 'create';
      const iterations = settleEach ? CREATE_BREAKDOWN_ITERATIONS : BREAKDOWN_ITERATIONS;
      await settle();
      breakdown[operation] = {
        authorizerMs: await timeSequential(BREAKDOWN_ITERATIONS, () =>
          authorizer(authorizerEvent, authorizerLambdaContext),
        ),
        handlerMs: await timeSequential(
          iterations,
          async () => {
            const result = await handler(
              proxyEvent(request, requestHeaders(request, token), authorizerContext),
              inProcessLambdaContext(route.id),
            );
            if (result.statusCode >= 300) throw new Error(`${operation} answered ${result.statusCode}`);
          },
          settleEach,
        ),
        awsCallsMs: await timeSequential(iterations, () => plans[operation].replay(), settleEach),
      };
    }
    return { type: 'breakdown', breakdown };
  };

  await settle();
  const ready: ApiServerReady = {
    type: 'ready',
    apiUrl: cloud.urls.api,
    floorUrl: `http://127.0.0.1:${floorPort}`,
    token,
    ids,
    traces,
  };
  process.send?.(ready);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Workflows still running when the emulators close fail loudly; nothing of that matters any more.
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    floor.closeAllConnections();
    floor.close();
    await Promise.race([cloud.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await rm(home, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
    if (message === SETTLE_REQUEST) void settle().then((settled) => process.send?.(settled));
    if (message === BREAKDOWN_REQUEST) {
      measureBreakdown().then(
        (breakdown) => process.send?.(breakdown),
        (error: unknown) =>
          process.send?.({ type: 'error', message: String(error) } satisfies ApiServerMessage),
      );
    }
  });
  process.on('disconnect', () => void stop());
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.send?.({ type: 'error', message } satisfies ApiServerMessage);
  console.error(message);
  process.exit(1);
});
