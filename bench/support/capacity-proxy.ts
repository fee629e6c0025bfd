// A DynamoDB endpoint in front of dynalite that counts what every request would consume on DynamoDB on-demand:
// read request units (4 KB per strongly consistent read, half for eventually consistent) and write request units
// (1 KB per write, the larger of the item before and after, plus each global secondary index the write touches,
// since every index here projects ALL attributes). dynalite neither counts index writes nor charges failed
// conditional writes, so the proxy computes units itself from the items: for writes it reads the item before and
// after (strongly consistent GetItem straight to dynalite, not counted). Only for the cost benchmark: it is slow.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '#adapters/dynamodb-client.ts';
import { TABLE_INDEXES, TABLE_KEYS } from '#adapters/table-schema.ts';
import { listen } from '#local/listen.ts';

type Item = Record<string, AttributeValue>;

/** DynamoDB's item size: attribute names plus values (numbers approximated by their digits). */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength ?? Buffer.byteLength(String(value.B), 'base64');
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, entry) => sum + numberSize(entry), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
  if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 0;
}

function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export interface CapacityCounts {
  readRequests: number;
  writeRequests: number;
  /** Read request units. */
  rru: number;
  /** Write request units, table and indexes. */
  wru: number;
  /** Of which index writes. */
  indexWru: number;
  failedConditionalWrites: number;
  byOperation: Record<string, { requests: number; rru: number; wru: number }>;
}

export const emptyCounts = (): CapacityCounts => ({
  readRequests: 0,
  writeRequests: 0,
  rru: 0,
  wru: 0,
  indexWru: 0,
  failedConditionalWrites: 0,
  byOperation: {},
});

export function subtractCounts(after: CapacityCounts, before: CapacityCounts): CapacityCounts {
  const byOperation: CapacityCounts['byOperation'] = {};
  for (const [operation, counts] of Object.entries(after.byOperation)) {
    const earlier = before.byOperation[operation] ?? { requests: 0, rru: 0, wru: 0 };
    const difference = {
      requests: counts.requests - earlier.requests,
      rru: counts.rru - earlier.rru,
      wru: counts.wru - earlier.wru,
    };
    if (difference.requests > 0) byOperation[operation] = difference;
  }
  return {
    readRequests: after.readRequests - before.readRequests,
    writeRequests: after.writeRequests - before.writeRequests,
    rru: after.rru - before.rru,
    wru: after.wru - before.wru,
    indexWru: after.indexWru - before.indexWru,
    failedConditionalWrites: after.failedConditionalWrites - before.failedConditionalWrites,
    byOperation,
  };
}

export interface CapacityProxy {
  url: string;
  counts(): CapacityCounts;
  /** Reads the whole table into the shadow copy (anything written around the proxy since), then counts. */
  startCounting(): Promise<void>;
  /** Requests pass straight through, nothing is counted. The initial state. */
  stopCounting(): void;
  close(): Promise<void>;
}

interface WireRequest {
  ReturnValues?: string;
  TableName?: string;
  Key?: Item;
  Item?: Item;
  ConsistentRead?: boolean;
  IndexName?: string;
  RequestItems?: Record<string, unknown>;
}

interface WireResponse {
  Attributes?: Item;
  Item?: Item;
  Items?: Item[];
  Responses?: Record<string, Item[]>;
  __type?: string;
}

const keyOf = (item: Item): Item => {
  const key: Item = {};
  for (const name of [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]) {
    const value = item[name];
    if (value) key[name] = value;
  }
  return key;
};

/** Units a write costs on the table and its indexes, given the item before and after (undefined: absent). */
function writeCost(before: Item | undefined, after: Item | undefined, failed: boolean) {
  const table = writeUnits(Math.max(itemSize(before), itemSize(after)));
  if (failed) return { table, index: 0 };
  const unchanged = JSON.stringify(before) === JSON.stringify(after);
  let index = 0;
  for (const { partitionKey, sortKey } of TABLE_INDEXES) {
    const keyBefore = before?.[partitionKey] ? `${before[partitionKey]?.S}|${before[sortKey]?.S}` : undefined;
    const keyAfter = after?.[partitionKey] ? `${after[partitionKey]?.S}|${after[sortKey]?.S}` : undefined;
    if (keyBefore === undefined && keyAfter === undefined) continue;
    if (keyBefore === keyAfter) {
      if (!unchanged) index += writeUnits(Math.max(itemSize(before), itemSize(after)));
    } else {
      if (keyBefore !== undefined) index += writeUnits(itemSize(before));
      if (keyAfter !== undefined) index += writeUnits(itemSize(after));
    }
  }
  return { table, index };
}

const shadowKey = (table: string, key: Item) =>
  `${table}|${key[TABLE_KEYS.partitionKey]?.S}|${key[TABLE_KEYS.sortKey]?.S}`;

export async function startCapacityProxy(dynamodbUrl: string): Promise<CapacityProxy> {
  const target = new URL(dynamodbUrl);
  const direct: DynamoDBClient = createDynamoDbClient({ endpoint: dynamodbUrl, region: 'us-east-1' });
  const counts = emptyCounts();
  const shadow = new Map<string, Item>();
  let counting = false;

  const forward = (request: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: target.host, 'content-length': String(body.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 500,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const count = (operation: string, units: { rru?: number; wru?: number }, write: boolean) => {
    const entry = counts.byOperation[operation] ?? { requests: 0, rru: 0, wru: 0 };
    entry.requests += 1;
    entry.rru += units.rru ?? 0;
    entry.wru += units.wru ?? 0;
    counts.byOperation[operation] = entry;
    if (write) counts.writeRequests += 1;
    else counts.readRequests += 1;
    counts.rru += units.rru ?? 0;
    counts.wru += units.wru ?? 0;
  };

  /** The writes of a request: table, key and (when the request says) the new item; undefined = deleted. */
  const writesOf = (operation: string, input: WireRequest) => {
    type Write = { table: string; key: Item; newItem?: Item | 'from-response' };
    if (operation === 'PutItem' && input.TableName && input.Item)
      return [{ table: input.TableName, key: keyOf(input.Item), newItem: input.Item }] as Write[];
    if (operation === 'UpdateItem' && input.TableName && input.Key)
      return [{ table: input.TableName, key: input.Key, newItem: 'from-response' }] as Write[];
    if (operation === 'DeleteItem' && input.TableName && input.Key)
      return [{ table: input.TableName, key: input.Key }];
    if (operation === 'BatchWriteItem') {
      return Object.entries(input.RequestItems ?? {}).flatMap(([table, writes]) =>
        (writes as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]).map(
          (write): Write =>
            write.PutRequest
              ? { table, key: keyOf(write.PutRequest.Item), newItem: write.PutRequest.Item }
              : { table, key: write.DeleteRequest?.Key ?? {} },
        ),
      );
    }
    return [];
  };

  const send = (
    response: ServerResponse,
    upstream: Awaited<ReturnType<typeof forward>>,
    body = upstream.body,
  ) => {
    const headers: Record<string, string | string[] | undefined> = {
      ...upstream.headers,
      'content-length': String(body.length),
    };
    // The SDK checks this checksum of the body; a body changed here has none.
    if (body !== upstream.body) delete headers['x-amz-crc32'];
    response.writeHead(upstream.status, headers);
    response.end(body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (!counting) return send(response, await forward(request, body));

    const operation =
      String(request.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const input = (body.length > 0 ? JSON.parse(body.toString('utf8')) : {}) as WireRequest;
    const writes = writesOf(operation, input);
    if (writes.length > 0) {
      const askedForNew = operation === 'UpdateItem' && (input.ReturnValues ?? 'NONE') === 'NONE';
      const forwarded = askedForNew
        ? Buffer.from(JSON.stringify({ ...input, ReturnValues: 'ALL_NEW' }))
        : body;
      const upstream = await forward(request, forwarded);
      const output = JSON.parse(upstream.body.toString('utf8') || '{}') as WireResponse;
      const conditionalFailure = output.__type?.endsWith('ConditionalCheckFailedException') ?? false;
      if (upstream.status >= 400 && !conditionalFailure) {
        send(response, upstream);
        return count(operation, {}, true);
      }
      let answer = upstream.body;
      if (askedForNew && !conditionalFailure) {
        const { Attributes: _attributes, ...rest } = output;
        answer = Buffer.from(JSON.stringify(rest));
      }
      send(response, upstream, answer);
      if (conditionalFailure) counts.failedConditionalWrites += 1;
      let wru = 0;
      for (const write of writes) {
        const id = shadowKey(write.table, write.key);
        const before = shadow.get(id);
        let after: Item | undefined = write.newItem === 'from-response' ? output.Attributes : write.newItem;
        if (write.newItem === 'from-response' && !askedForNew && !conditionalFailure) {
          // The caller asked for other return values: read the item as it is now.
          const current = await direct.send(
            new GetItemCommand({ TableName: write.table, Key: write.key, ConsistentRead: true }),
          );
          after = current.Item as Item | undefined;
        }
        if (conditionalFailure) after = before;
        if (after) shadow.set(id, after);
        else shadow.delete(id);
        const cost = writeCost(before, after, conditionalFailure);
        wru += cost.table + cost.index;
        counts.indexWru += cost.index;
      }
      return count(operation, { wru }, true);
    }

    const upstream = await forward(request, body);
    send(response, upstream);
    if (upstream.status >= 400) return count(operation, {}, false);
    const output = JSON.parse(upstream.body.toString('utf8') || '{}') as WireResponse;
    const consistent = input.ConsistentRead === true && input.IndexName === undefined;
    switch (operation) {
      case 'GetItem':
        return count(operation, { rru: readUnits(itemSize(output.Item), consistent) }, false);
      case 'Query':
      case 'Scan': {
        const bytes = (output.Items ?? []).reduce((sum, item) => sum + itemSize(item), 0);
        return count(operation, { rru: readUnits(bytes, consistent) }, false);
      }
      case 'BatchGetItem': {
        let rru = 0;
        for (const [table, items] of Object.entries(output.Responses ?? {})) {
          const tableRequest = input.RequestItems?.[table] as { ConsistentRead?: boolean } | undefined;
          for (const item of items) rru += readUnits(itemSize(item), tableRequest?.ConsistentRead === true);
        }
        return count(operation, { rru }, false);
      }
      default:
        return count(operation, {}, false);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'InternalFailure', message: String(error) }));
      }
    });
  });
  const port = await listen(server, '127.0.0.1', 0, 'DynamoDB capacity proxy');
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    async startCounting() {
      shadow.clear();
      const { TableNames = [] } = await direct.send(new ListTablesCommand({}));
      for (const table of TableNames) {
        let startKey: Item | undefined;
        do {
          const page = await direct.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
          for (const item of (page.Items ?? []) as Item[]) shadow.set(shadowKey(table, keyOf(item)), item);
          startKey = page.LastEvaluatedKey as Item | undefined;
        } while (startKey);
      }
      counting = true;
    },
    stopCounting: () => {
      counting = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        direct.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
