// Replays a recorded request's AWS calls with the raw SDK clients: the same operations, with the same wire bodies,
// in the same order and grouping (calls the handler overlapped run concurrently). This is the API's floor: the I/O a
// handler cannot avoid, without middy, validation, domain rules, marshalling or JSON rendering.
import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { type SFNClient, StartExecutionCommand, type StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import { type RecordedAwsCall, sequentialStages } from './aws-call-trace.ts';

type Send = (body: unknown) => Promise<unknown>;

export interface ReplayClients {
  dynamodb: DynamoDBClient;
  stepfunctions: SFNClient;
}

function sender(call: RecordedAwsCall, clients: ReplayClients): Send {
  // The command inputs of the low-level clients have the wire shape, so a recorded body is a valid input.
  const db = clients.dynamodb;
  switch (call.target) {
    case 'DynamoDB_20120810.GetItem':
      return (body) => db.send(new GetItemCommand(body as GetItemCommandInput));
    case 'DynamoDB_20120810.PutItem':
      return (body) => db.send(new PutItemCommand(body as PutItemCommandInput));
    case 'DynamoDB_20120810.UpdateItem':
      return (body) => db.send(new UpdateItemCommand(body as UpdateItemCommandInput));
    case 'DynamoDB_20120810.DeleteItem':
      return (body) => db.send(new DeleteItemCommand(body as DeleteItemCommandInput));
    case 'DynamoDB_20120810.Query':
      return (body) => db.send(new QueryCommand(body as QueryCommandInput));
    case 'DynamoDB_20120810.BatchGetItem':
      return (body) => db.send(new BatchGetItemCommand(body as BatchGetItemCommandInput));
    case 'DynamoDB_20120810.BatchWriteItem':
      return (body) => db.send(new BatchWriteItemCommand(body as BatchWriteItemCommandInput));
    case 'AWSStepFunctions.StartExecution':
      return (body) =>
        clients.stepfunctions.send(new StartExecutionCommand(body as StartExecutionCommandInput));
    default:
      throw new Error(
        `replaying ${call.target} is not supported: add it to bench/support/aws-call-replay.ts`,
      );
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export interface ReplayPlan {
  /** Operation names per stage, e.g. [['PutItem'], ['GetItem', 'GetItem']]. */
  stages: string[][];
  callCount: number;
  replay(): Promise<void>;
}

/**
 * `freshIds`: ids (UUIDs) that the request itself introduced (a new transfer's id, the MS-RequestId) are replaced by
 * new ones on every replay, so each replayed write creates new items like the handler does; `knownIds` (the
 * sandbox's tenants, customers, users, subscriptions) are kept.
 */
export function planReplay(
  calls: readonly RecordedAwsCall[],
  clients: ReplayClients,
  options: { freshIds?: boolean; knownIds?: ReadonlySet<string> } = {},
): ReplayPlan {
  const stages = sequentialStages(calls).map((stage) =>
    stage.map((call) => ({ call, send: sender(call, clients) })),
  );
  const dynamicIds = new Set<string>();
  if (options.freshIds) {
    for (const call of calls) {
      for (const id of call.body.match(UUID) ?? []) {
        if (!options.knownIds?.has(id.toLowerCase())) dynamicIds.add(id.toLowerCase());
      }
    }
  }
  // Without fresh ids every replay sends the very same inputs: parse them once.
  const parse = (body: string): unknown => JSON.parse(body);
  const parsed = new Map<RecordedAwsCall, unknown>(calls.map((call) => [call, parse(call.body)]));
  const bodyOf = (call: RecordedAwsCall, fresh: Map<string, string>) => {
    if (fresh.size === 0) return parsed.get(call);
    return parse(call.body.replace(UUID, (id) => fresh.get(id.toLowerCase()) ?? id));
  };
  return {
    stages: stages.map((stage) => stage.map(({ call }) => call.operation)),
    callCount: calls.length,
    async replay() {
      const fresh = new Map([...dynamicIds].map((id) => [id, randomUUID()]));
      for (const stage of stages) {
        await Promise.all(stage.map(({ call, send }) => send(bodyOf(call, fresh))));
      }
    },
  };
}
