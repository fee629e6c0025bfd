// Records the AWS calls (DynamoDB, Step Functions) that one API request, or one workflow task invocation, makes, by
// listening to Node's HTTP diagnostics channels in the process that runs the handlers. A call belongs to the request
// when it is made in the async context of that request on the API server (the workflow that a create starts runs in
// the Step Functions server's own context and is not counted), or in the async context of `within`.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAwsCall {
  service: 'dynamodb' | 'stepfunctions';
  /** X-Amz-Target, e.g. DynamoDB_20120810.GetItem or AWSStepFunctions.StartExecution. */
  target: string;
  /** The operation alone: GetItem, Query, StartExecution... */
  operation: string;
  body: string;
  startedAt: number;
  finishedAt: number;
}

interface Recording {
  calls: RecordedAwsCall[];
  /** The bodies still being read, of this recording's calls. */
  bodies: Promise<void>[];
}

interface ClientRequestStart {
  request: ClientRequest;
}
interface ClientResponseFinish {
  request: ClientRequest;
  response: IncomingMessage;
}
interface ServerRequestStart {
  request: IncomingMessage;
  server: Server;
}

const portOf = (url: string) => Number(new URL(url).port);

export interface AwsCallRecorder {
  /** Runs `send` (which makes one request to the API) and resolves the AWS calls that request made. */
  record(send: () => Promise<unknown>): Promise<RecordedAwsCall[]>;
  /** Runs `work` in its own recording (any number at once) and resolves its result and the AWS calls it made. */
  within<T>(work: () => Promise<T>): Promise<{ result: T; calls: RecordedAwsCall[] }>;
  close(): void;
}

/**
 * Node publishes a client request once its body is written, so bodies are read where they arrive: on the
 * emulators' servers, matched to the client's request by the connection's port (requests on one keep-alive
 * connection are sequential, so first in, first out).
 */
export function createAwsCallRecorder(endpoints: {
  api?: string;
  dynamodb: string;
  stepfunctions: string;
}): AwsCallRecorder {
  const apiPort = endpoints.api ? portOf(endpoints.api) : undefined;
  const services = new Map<number, RecordedAwsCall['service']>([
    [portOf(endpoints.dynamodb), 'dynamodb'],
    [portOf(endpoints.stepfunctions), 'stepfunctions'],
  ]);
  const context = new AsyncLocalStorage<Recording | undefined>();
  let active: Recording | undefined;
  /** Recordings open through `within`: bodies are kept while any is. */
  let openWithin = 0;
  const pending = new Map<ClientRequest, { call: RecordedAwsCall; recording: Recording }>();
  /** Bodies received by the emulators, by the client's port. */
  const received = new Map<number, Promise<string>[]>();

  const onServerRequest = (message: unknown) => {
    const { request, server } = message as ServerRequestStart;
    const port = (server.address() as AddressInfo | null)?.port;
    // Every server request sets the context of what it runs next: ours for the API, none for the others.
    context.enterWith(port === apiPort ? active : undefined);
    if ((!active && openWithin === 0) || port === undefined || !services.has(port)) return;
    const clientPort = request.socket.remotePort ?? 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const body = new Promise<string>((resolve) => {
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      request.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    const queue = received.get(clientPort) ?? [];
    queue.push(body);
    received.set(clientPort, queue);
  };

  const onClientRequest = (message: unknown) => {
    const { request } = message as ClientRequestStart;
    const recording = context.getStore();
    if (!recording) return;
    const host = String(request.getHeader('host') ?? '');
    const service = services.get(Number(host.split(':').pop()));
    if (!service) return;
    const target = String(request.getHeader('x-amz-target') ?? '');
    const call: RecordedAwsCall = {
      service,
      target,
      operation: target.split('.').pop() ?? target,
      body: '',
      startedAt: performance.now(),
      finishedAt: Number.NaN,
    };
    recording.calls.push(call);
    pending.set(request, { call, recording });
  };

  const onClientResponse = (message: unknown) => {
    const { request } = message as ClientResponseFinish;
    // Every response takes its body off its connection's queue, recorded or not, so the queue stays in step.
    const body = received.get(request.socket?.localPort ?? -1)?.shift();
    const entry = pending.get(request);
    if (!entry) return;
    const { call, recording } = entry;
    call.finishedAt = performance.now();
    pending.delete(request);
    if (!body) return;
    recording.bodies.push(
      body.then((text) => {
        call.body = text;
      }),
    );
  };

  diagnosticsChannel.subscribe('http.server.request.start', onServerRequest);
  diagnosticsChannel.subscribe('http.client.request.start', onClientRequest);
  diagnosticsChannel.subscribe('http.client.response.finish', onClientResponse);

  const finish = async (recording: Recording) => {
    await Promise.all(recording.bodies);
    const missing = recording.calls.filter((call) => call.body === '');
    if (missing.length > 0)
      throw new Error(`no body recorded for ${missing.map((c) => c.target).join(', ')}`);
    return recording.calls;
  };

  return {
    async record(send) {
      if (active) throw new Error('one recording at a time');
      const recording: Recording = { calls: [], bodies: [] };
      active = recording;
      try {
        await send();
        return await finish(recording);
      } finally {
        active = undefined;
        if (openWithin === 0) received.clear();
      }
    },
    async within(work) {
      const recording: Recording = { calls: [], bodies: [] };
      openWithin += 1;
      try {
        const result = await context.run(recording, work);
        return { result, calls: await finish(recording) };
      } finally {
        openWithin -= 1;
        if (openWithin === 0 && !active) received.clear();
      }
    },
    close() {
      diagnosticsChannel.unsubscribe('http.server.request.start', onServerRequest);
      diagnosticsChannel.unsubscribe('http.client.request.start', onClientRequest);
      diagnosticsChannel.unsubscribe('http.client.response.finish', onClientResponse);
    },
  };
}

/**
 * The calls as stages that ran one after the other; the calls within a stage overlapped in time (the handler
 * made them concurrently, e.g. with Promise.all).
 */
export function sequentialStages(calls: readonly RecordedAwsCall[]): RecordedAwsCall[][] {
  const stages: RecordedAwsCall[][] = [];
  let current: RecordedAwsCall[] = [];
  let currentEnd = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.startedAt - b.startedAt)) {
    if (current.length > 0 && call.startedAt >= currentEnd) {
      stages.push(current);
      current = [];
      currentEnd = Number.NEGATIVE_INFINITY;
    }
    current.push(call);
    currentEnd = Math.max(currentEnd, Number.isFinite(call.finishedAt) ? call.finishedAt : call.startedAt);
  }
  if (current.length > 0) stages.push(current);
  return stages;
}
