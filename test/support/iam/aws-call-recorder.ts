// Records, in every test worker, each AWS SDK call that the local cloud makes while it runs one of the stack's
// functions (a route handler, a workflow task, the reconciler, the webhook deliverer or the outbox relay; see
// infra/local/running-function.ts): which function, the IAM action,
// the resource ARN and the condition keys AWS would evaluate. Calls a test makes itself (seeding, reading storage)
// belong to no function and are not recorded. The IAM simulation test (test/infra/iam-simulation.test.ts) evaluates
// every recorded call against the synthesized template.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { Client } from '@smithy/core/client';
import { runningFunction } from '#local/running-function.ts';
import { type RecordedAwsCall, recordedCallKey } from './recorded-calls.ts';

/** The local cloud's account (LOCAL_ACCOUNT_ID; not imported: this module loads in every test worker). */
const LOCAL_ACCOUNT = '000000000000';

/** lib-dynamodb's document commands, by the DynamoDB action each one performs. */
const DOCUMENT_COMMAND_ACTIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

const SERVICE_PREFIXES: Record<string, string> = {
  DynamoDB: 'dynamodb',
  SES: 'ses',
  SFN: 'states',
  SQS: 'sqs',
  EventBridge: 'events',
};

interface Call {
  prefix: string;
  action: string;
  input: Record<string, unknown>;
  region: string;
}

const tableArn = (region: string, table: unknown, index?: unknown) =>
  `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${String(table)}${index === undefined ? '' : `/index/${String(index)}`}`;

/** The resources (and condition keys) AWS authorizes one call against. */
function authorizedParts(call: Call): { resource: string; context: Record<string, string> }[] {
  const { prefix, action, input, region } = call;
  if (prefix === 'dynamodb') {
    if (action === 'BatchGetItem' || action === 'BatchWriteItem') {
      return Object.keys((input.RequestItems as object) ?? {}).map((table) => ({
        resource: tableArn(region, table),
        context: {},
      }));
    }
    return [{ resource: tableArn(region, input.TableName, input.IndexName), context: {} }];
  }
  if (prefix === 'ses') {
    const source = String(input.Source ?? '');
    const address = /<([^>]+)>/.exec(source)?.[1] ?? source;
    return [
      {
        resource: `arn:aws:ses:${region}:${LOCAL_ACCOUNT}:identity/${address}`,
        context: { 'ses:FromAddress': address },
      },
    ];
  }
  if (prefix === 'states') {
    // A task token names no resource; AWS authorizes task responses against the state machine that issued it.
    const arn = input.stateMachineArn ?? input.executionArn ?? process.env.STATE_MACHINE_ARN;
    return [{ resource: String(arn), context: {} }];
  }
  if (prefix === 'sqs') {
    // A queue URL ends with the account and the queue's name; its ARN is made of the same parts.
    const name = String(input.QueueUrl ?? '')
      .split('/')
      .pop();
    return [{ resource: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${name}`, context: {} }];
  }
  if (prefix === 'events') {
    const buses = ((input.Entries as { EventBusName?: string }[] | undefined) ?? []).map(
      (entry) => entry.EventBusName ?? 'default',
    );
    return [...new Set(buses)].map((bus) => ({
      resource: `arn:aws:events:${region}:${LOCAL_ACCOUNT}:event-bus/${bus}`,
      context: {},
    }));
  }
  return [{ resource: '*', context: {} }];
}

function describeCall(client: Client<never, never, never, never>, command: object): Call | undefined {
  const config = (client as unknown as { config: { serviceId?: string; region?: unknown } }).config;
  const prefix = SERVICE_PREFIXES[config.serviceId ?? ''];
  if (!prefix) return undefined;
  const name = command.constructor.name.replace(/Command$/, '');
  const action = prefix === 'dynamodb' ? (DOCUMENT_COMMAND_ACTIONS[name] ?? name) : name;
  const region = typeof config.region === 'string' ? config.region : (process.env.AWS_REGION ?? 'us-east-1');
  return { prefix, action, input: (command as { input?: Record<string, unknown> }).input ?? {}, region };
}

/** Starts recording into `directory` (one file per worker, each call once). */
export function recordAwsCalls(directory: string): void {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${process.pid}-${threadId}.jsonl`);
  const seen = new Set<string>();
  const send = Client.prototype.send;
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's overloaded send, wrapped without changing it.
  Client.prototype.send = function recordingSend(this: Client<never, never, never, never>, ...args: any[]) {
    const fn = runningFunction();
    const call = fn && args[0] ? describeCall(this, args[0] as object) : undefined;
    if (fn && call) {
      for (const part of authorizedParts(call)) {
        const recorded: RecordedAwsCall = {
          function: fn,
          action: `${call.prefix}:${call.action}`,
          resource: part.resource,
          context: part.context,
        };
        const key = recordedCallKey(recorded);
        if (seen.has(key)) continue;
        seen.add(key);
        appendFileSync(file, `${JSON.stringify(recorded)}\n`);
      }
    }
    return (send as (...parameters: unknown[]) => unknown).apply(this, args);
  } as typeof send;
}
