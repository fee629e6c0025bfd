// Emulator fault injection (local cloud only, off by default): makes the DynamoDB, SES and Step Functions endpoints
// answer some requests with throttling, or process a request and then drop the connection instead of answering (what
// a client sees as a timeout after the server acted). It exercises the SDK retries and the idempotency of every write
// under the faults a real cloud produces. Used by the chaos campaign (`npm run chaos`).
//
// Syntax: rules separated by ';', each `<service>:<fault>=<rate>[,<fault>=<rate>]` or `seed:<integer>`, e.g.
//   dynamodb:throttle=0.02,drop=0.01; ses:throttle=0.05; stepfunctions:throttle=0.02,drop=0.01; seed:7
// service: dynamodb | ses | stepfunctions; fault: throttle (refused before it is processed) | drop (processed, then
// the connection is closed without an answer); rate: 0..1.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import * as z from 'zod';

export const EMULATOR_SERVICES = ['dynamodb', 'ses', 'stepfunctions'] as const;
export type EmulatorService = (typeof EMULATOR_SERVICES)[number];

export interface EmulatorFaultRates {
  throttle: number;
  drop: number;
}

export interface EmulatorFaultPlan {
  rates: Record<EmulatorService, EmulatorFaultRates>;
  seed?: number;
}

export class EmulatorFaultSyntaxError extends Error {
  override readonly name = 'EmulatorFaultSyntaxError';
}

const RATE = z.coerce.number().min(0).max(1);
const NO_FAULTS: EmulatorFaultRates = { throttle: 0, drop: 0 };

export function parseEmulatorFaults(text: string): EmulatorFaultPlan {
  const rates = {
    dynamodb: { ...NO_FAULTS },
    ses: { ...NO_FAULTS },
    stepfunctions: { ...NO_FAULTS },
  };
  let seed: number | undefined;
  for (const rule of text.split(';').map((part) => part.replace(/\s+/g, ''))) {
    if (rule === '') continue;
    const [name, value = ''] = rule.split(/:(.*)/s);
    if (name === 'seed') {
      if (!/^-?\d+$/.test(value))
        throw new EmulatorFaultSyntaxError(`seed must be an integer, got '${value}'`);
      seed = Number(value);
      continue;
    }
    if (!EMULATOR_SERVICES.includes(name as EmulatorService))
      throw new EmulatorFaultSyntaxError(
        `unknown service '${name}' (use ${EMULATOR_SERVICES.join(', ')} or seed)`,
      );
    for (const setting of value.split(',')) {
      const [fault, rate = ''] = setting.split('=');
      if (fault !== 'throttle' && fault !== 'drop')
        throw new EmulatorFaultSyntaxError(`unknown fault '${fault}' for ${name} (use throttle or drop)`);
      const parsed = RATE.safeParse(rate);
      if (!parsed.success || rate === '')
        throw new EmulatorFaultSyntaxError(`${name}:${fault} needs a rate between 0 and 1, got '${rate}'`);
      rates[name as EmulatorService][fault] = parsed.data;
    }
  }
  return seed === undefined ? { rates } : { rates, seed };
}

/** mulberry32: small, fast and good enough to make a fault sequence repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The throttling answer each protocol's SDK recognises (and retries). */
function sendThrottle(service: EmulatorService, response: ServerResponse): void {
  if (service === 'ses') {
    const body =
      '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded (injected)</Message></Error><RequestId>injected</RequestId></ErrorResponse>';
    response.writeHead(400, { 'content-type': 'text/xml' }).end(body);
    return;
  }
  const type =
    service === 'dynamodb'
      ? 'com.amazonaws.dynamodb.v20120810#ThrottlingException'
      : 'com.amazonaws.swf.service.v2.model#ThrottlingException';
  response
    .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
    .end(JSON.stringify({ __type: type, message: 'Rate exceeded (injected)' }));
}

/** Let the request be processed, then close the connection instead of sending the answer. */
function dropAnswer(request: IncomingMessage, response: ServerResponse): void {
  const drop = () => {
    request.socket.destroy();
    return response;
  };
  response.writeHead = drop as ServerResponse['writeHead'];
  response.write = (() => true) as ServerResponse['write'];
  response.end = drop as ServerResponse['end'];
}

export interface InjectedFaultCounts {
  throttle: number;
  drop: number;
}

/**
 * Wraps the server's request listeners: a request is throttled or its answer dropped with the plan's rates.
 * Only answers to POST requests are touched (the API calls); pages such as SES's mail store stay reliable.
 */
export function injectEmulatorFaults(
  server: Server,
  service: EmulatorService,
  plan: EmulatorFaultPlan,
): InjectedFaultCounts {
  const counts: InjectedFaultCounts = { throttle: 0, drop: 0 };
  const rates = plan.rates[service];
  if (rates.throttle === 0 && rates.drop === 0) return counts;
  const random =
    plan.seed === undefined ? Math.random : seededRandom(plan.seed + EMULATOR_SERVICES.indexOf(service));
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST') {
      const roll = random();
      if (roll < rates.throttle) {
        counts.throttle += 1;
        request.resume();
        sendThrottle(service, response);
        return;
      }
      if (roll < rates.throttle + rates.drop) {
        counts.drop += 1;
        dropAnswer(request, response);
      }
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
  return counts;
}
