// The Step Functions endpoint on loopback: AWS JSON 1.0 over HTTP (POST /, X-Amz-Target: AWSStepFunctions.<Op>),
// errors as HTTP 4xx with `__type` and `x-amzn-errortype`, which @aws-sdk/client-sfn turns into its typed
// exceptions (it keeps the part after '#').
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '#local/listen.ts';
import { StepFunctionsServiceError } from './errors.ts';
import { type ExecutionSummary, LocalStepFunctions, type LocalStepFunctionsOptions } from './service.ts';
import type { WireObject } from './wire.ts';

export interface StepFunctionsServerOptions extends LocalStepFunctionsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
}

export interface StepFunctionsServer {
  /** For `new SFNClient({ endpoint })` or AWS_ENDPOINT_URL_SFN. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** The HTTP server, for the local cloud's emulator fault injection. */
  readonly httpServer: Server;
  /** Registers (or replaces) a definition: parsed ASL with placeholders substituted. Returns the ARN. */
  createStateMachine(name: string, definition: object): string;
  stateMachineArn(name: string): string;
  /** With a journal file: starts again the executions that were running when the last process stopped. */
  resumeJournaledExecutions(stateMachineName: string): number;
  listExecutions(filter?: {
    stateMachineArn?: string;
    status?: ExecutionSummary['status'];
  }): ExecutionSummary[];
  listRunningExecutions(): ExecutionSummary[];
  /** Aborts running executions, then stops the server. */
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model';
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

function send(
  response: ServerResponse,
  statusCode: number,
  body: WireObject,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: StepFunctionsServiceError): void {
  send(
    response,
    error.statusCode,
    { __type: `${ERROR_NAMESPACE}#${error.errorName}`, message: error.message },
    { 'x-amzn-errortype': error.errorName },
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_REQUEST_BYTES)
        reject(new StepFunctionsServiceError('ValidationException', 'Request body is too large', 413));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function parseRequest(text: string): WireObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StepFunctionsServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StepFunctionsServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as WireObject;
}

export async function startStepFunctionsServer(
  options: StepFunctionsServerOptions,
): Promise<StepFunctionsServer> {
  const host = options.host ?? '127.0.0.1';
  const service = new LocalStepFunctions(options);
  const logger = options.logger;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const body = await readBody(request);
      const target = request.headers['x-amz-target'];
      const operationName =
        typeof target === 'string' && target.startsWith(TARGET_PREFIX)
          ? target.slice(TARGET_PREFIX.length)
          : undefined;
      const operation = operationName === undefined ? undefined : service.operations[operationName];
      if (request.method !== 'POST' || !operation) {
        throw new StepFunctionsServiceError(
          'UnknownOperationException',
          `Unknown operation ${JSON.stringify(target ?? `${request.method} ${request.url}`)}`,
        );
      }
      send(response, 200, operation(parseRequest(body)));
    } catch (error) {
      if (error instanceof StepFunctionsServiceError) return sendError(response, error);
      logger?.error('Step Functions request failed', { error });
      sendError(
        response,
        new StepFunctionsServiceError(
          'InternalFailure',
          'Internal error of the local Step Functions endpoint',
          500,
        ),
      );
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  const port = await listen(server, host, options.port, 'Step Functions');

  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    region: service.region,
    accountId: service.accountId,
    httpServer: server,
    createStateMachine: (name, definition) => service.createStateMachine(name, definition),
    stateMachineArn: (name) => service.stateMachineArn(name),
    resumeJournaledExecutions: (name) => service.resumeJournaledExecutions(name),
    listExecutions: (filter) => service.listExecutionSummaries(filter),
    listRunningExecutions: () => service.listExecutionSummaries({ status: 'RUNNING' }),
    close: async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await service.close();
      await stopped;
    },
  };
}
