// The EventBridge and SQS APIs the service uses (PutEvents; SendMessage, ChangeMessageVisibility, DeleteMessage), on
// one loopback port in the AWS JSON protocol the SDK speaks, so handlers run their real SDK clients unchanged. The
// bus has one rule, as in the CDK stack: events from our source go to the webhook queue, wrapped in the
// EventBridge envelope.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../listen.ts';
import type { LocalQueue } from './queue.ts';

export interface EventsServerOptions {
  host: string;
  port: number;
  region: string;
  accountId: string;
  busName: string;
  /** Events whose source is this go to the queue (the rule of the CDK stack). */
  ruleSource: string;
  queueName: string;
  queue: LocalQueue;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

const isoTime = (time: number | string | undefined) =>
  time === undefined
    ? new Date().toISOString()
    : new Date(typeof time === 'number' ? time * 1000 : time).toISOString();

export async function startEventsServer(options: EventsServerOptions) {
  const { queue } = options;
  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    'AWSEvents.PutEvents': (input) => {
      const entries = (input.Entries ?? []) as PutEventsEntry[];
      return {
        FailedEntryCount: 0,
        Entries: entries.map((entry) => {
          const id = randomUUID();
          const onOurBus = (entry.EventBusName ?? 'default') === options.busName;
          if (onOurBus && entry.Source === options.ruleSource) {
            queue.send(
              JSON.stringify({
                version: '0',
                id,
                'detail-type': entry.DetailType,
                source: entry.Source,
                account: options.accountId,
                time: isoTime(entry.Time),
                region: options.region,
                resources: [],
                detail: JSON.parse(entry.Detail ?? '{}'),
              }),
            );
          }
          return { EventId: id };
        }),
      };
    },
    'AmazonSQS.SendMessage': (input) => {
      const message = queue.send(String(input.MessageBody ?? ''), Number(input.DelaySeconds ?? 0));
      return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
    },
    'AmazonSQS.ChangeMessageVisibility': (input) => {
      if (!queue.changeVisibility(String(input.ReceiptHandle), Number(input.VisibilityTimeout ?? 0))) {
        throw new ServiceError(
          'com.amazonaws.sqs#ReceiptHandleIsInvalid',
          'The receipt handle is not current',
        );
      }
      return {};
    },
    'AmazonSQS.DeleteMessage': (input) => {
      queue.delete(String(input.ReceiptHandle));
      return {};
    },
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const handler = handlers[target];
    const contentType = target.startsWith('AWSEvents')
      ? 'application/x-amz-json-1.1'
      : 'application/x-amz-json-1.0';
    readJson(request)
      .then((input) => {
        if (!handler)
          throw new ServiceError('UnknownOperationException', `${target || 'This call'} is not emulated`);
        const output = handler(input);
        response.writeHead(200, { 'content-type': contentType });
        response.end(JSON.stringify(output));
      })
      .catch((error: unknown) => {
        const type = error instanceof ServiceError ? error.type : 'InternalFailure';
        response.writeHead(400, { 'content-type': contentType, 'x-amzn-query-error': `${type};Sender` });
        response.end(
          JSON.stringify({ __type: type, message: error instanceof Error ? error.message : String(error) }),
        );
      });
  });
  const port = await listen(server, options.host, options.port, 'EventBridge/SQS');
  const url = `http://${options.host}:${port}`;
  return {
    url,
    queueUrl: `${url}/${options.accountId}/${options.queueName}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
