// Random and mutated requests against every route of the route table, like a careless or hostile client would send
// them: wrong methods, mangled ids (bad GUIDs, unicode, very long, '#', '../'), random query parameters, random and
// mutated JSON bodies (wrong types, unknown fields, invalid JSON, deep nesting, bodies over 256 KB) and random headers
// (tokens, MS-RequestId, MS-CorrelationId). The API must never answer 5xx, and every error must carry a string
// `code` and `description`. Requests are generated from a fixed seed (FUZZ_SEED overrides it) and sent with bounded
// concurrency against one local cloud.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#api/routes.ts';
import { TRANSFER_STATUSES, TRANSFERABLE_PRODUCT_TYPES } from '#domain/model.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_SUBSCRIPTIONS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { sandboxSubscriptions, storeTransfer } from './support/seeded-transfers.ts';

const REQUESTS = 2_000;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 20_310_301);
const T = SANDBOX_TENANTS;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

let cloud: TestCloud;
/** Valid tokens of sandbox callers, plus an expired one and one for a tenant that is not a partner. */
let tokens: string[];
let knownTransferIds: string[];

// ---------------------------------------------------------------------------------------------------------------------
// Identifiers: real ones, random GUIDs and mangled ones.

const MANGLED_IDS = [
  '',
  'not-a-guid',
  '..',
  '../',
  '../../v1/health',
  '..%2F..%2Fpartner',
  '%2e%2e%2f',
  '#',
  '%23',
  'a#b',
  '%00',
  '%',
  '%zz',
  '%E2%80%AE',
  '?',
  'ü',
  '𝄞',
  'null',
  'undefined',
  '00000000-0000-0000-0000-00000000000g',
  'C0000000-0000-4000-8000-000000000001',
  ' c0000000-0000-4000-8000-000000000001',
  'c0000000-0000-4000-8000-000000000001 ',
  '{c0000000-0000-4000-8000-000000000001}',
  'c0000000000040008000000000000001',
  "'; DROP TABLE transfers; --",
  '<script>alert(1)</script>',
  '$(reboot)',
];

const idArbitrary = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...realIds()) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.constantFrom(...MANGLED_IDS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 3_000 }).map((length) => 'a'.repeat(length)) },
    { weight: 1, arbitrary: fc.uuid().map((id) => `${id}/${id}`) },
  );

function realIds(): string[] {
  return [
    ...Object.values(SANDBOX_CUSTOMERS),
    ...Object.values(SANDBOX_TENANTS),
    ...SANDBOX_SUBSCRIPTIONS.slice(0, 6).map((subscription) => subscription.subscriptionId),
    ...knownTransferIds,
  ];
}

/** A route's path with its parameters replaced (encoded or raw), or a random path now and then. */
const pathArbitrary = (): fc.Arbitrary<{ path: string; method: string }> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...ROUTES),
          fc.array(idArbitrary(), { minLength: 3, maxLength: 3 }),
          fc.boolean(),
        )
        .map(([route, ids, encode]) => {
          let index = 0;
          const path = route.path.replace(/\{\w+\}/g, () => {
            const id = ids[index++] ?? '';
            return encode ? encodeURIComponent(id) : id;
          });
          return { path, method: route.method };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(
          fc.oneof(
            fc.constantFrom('v1', 'customers', 'transfers', '..', '%2F', ''),
            fc.string({ maxLength: 10 }),
          ),
          {
            maxLength: 6,
          },
        )
        .map((segments) => ({ path: `/${segments.map(encodeURIComponent).join('/')}`, method: 'GET' })),
    },
  );

// ---------------------------------------------------------------------------------------------------------------------
// Query strings.

const QUERY_NAMES = [
  'limit',
  'continuationToken',
  'status',
  'direction',
  'from',
  'to',
  'transferId',
  'targetProductTypes',
  'expand',
  '__proto__',
  'constructor',
];

const queryValueArbitrary = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '25',
    '100',
    '101',
    '-1',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '9'.repeat(40),
    '',
    'incoming',
    'outgoing',
    ...TRANSFER_STATUSES,
    TRANSFER_STATUSES.join(','),
    ...TRANSFERABLE_PRODUCT_TYPES,
    'PerpetualSoftware',
    '2031-03-01T00:00:00Z',
    '2031-03-01T00:00:00+05:30',
    'yesterday',
    'eyJ2IjoxLCJrIjp7fX0',
    Buffer.from(JSON.stringify({ v: 1, k: { PK: 'x', SK: 'y', GSI1PK: 'z', GSI1SK: 'w' } })).toString(
      'base64url',
    ),
    Buffer.from(JSON.stringify({ v: 1, k: { PK: { S: 'x' } } })).toString('base64url'),
    '!!!',
  ),
  fc.uuid(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer().map(String),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
);

const queryArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...QUERY_NAMES) },
            { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
          ),
          queryValueArbitrary,
        ),
        { minLength: 1, maxLength: 5 },
      )
      .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((raw) => `?${raw}`) },
);

// ---------------------------------------------------------------------------------------------------------------------
// Bodies: valid ones, mutated ones, random JSON, broken JSON, huge and deeply nested ones.

const validCreateBody = fc.record(
  {
    sourcePartnerTenantId: fc.constantFrom(T.contoso, T.fabrikam, T.northwind, T.litware),
    sourcePartnerName: fc.constantFrom('Contoso Direct', 'Someone'),
    customerEmailId: fc.constantFrom('it@woodgrove.example', 'ops@trey.example'),
    customerName: fc.constantFrom('Woodgrove Bank', null),
    targetProductTypes: fc.option(fc.subarray([...TRANSFERABLE_PRODUCT_TYPES]), { nil: null }),
    partnerOnRecord: fc.constantFrom('3000005', '2000003', '999'),
    transferType: fc.constantFrom(3, 1),
  },
  { requiredKeys: ['sourcePartnerTenantId', 'sourcePartnerName', 'customerEmailId'] },
);

const validPatchBody = fc.oneof(
  fc.record({
    lineItems: fc.array(
      fc.record(
        {
          subscriptionId: fc.constantFrom(...SANDBOX_SUBSCRIPTIONS.map((s) => s.subscriptionId)),
          quantity: fc.integer({ min: -1, max: 50 }),
          partnerIdOnRecord: fc.constantFrom('3000005', 'x'),
        },
        { requiredKeys: ['subscriptionId'] },
      ),
      { maxLength: 4 },
    ),
  }),
  fc.record({ status: fc.constantFrom('Cancel', 'Accepted', 'Active', 'Canceled', 'cancel') }),
);

type JsonObject = Record<string, unknown>;

const mutatedBody = fc
  .tuple(
    fc.oneof(validCreateBody, validPatchBody),
    fc.constantFrom('drop', 'retype', 'unknown', 'wrap', 'nullify'),
    fc.nat(),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map(([body, mutation, pick, value]) => {
    const copy: JsonObject = { ...(body as JsonObject) };
    const keys = Object.keys(copy);
    const key = keys[pick % Math.max(keys.length, 1)] ?? 'x';
    switch (mutation) {
      case 'drop':
        delete copy[key];
        return copy;
      case 'retype':
        copy[key] = value;
        return copy;
      case 'unknown':
        copy[`unknown${pick % 7}`] = value;
        return copy;
      case 'wrap':
        return [copy];
      default:
        copy[key] = null;
        return copy;
    }
  });

const BROKEN_JSON = [
  '{',
  '{"a":',
  'nul',
  "{'a': 1}",
  '\u0000',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '[1,]',
  '"unterminated',
  'NaN',
];

const bodyArbitrary: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.oneof(validCreateBody, validPatchBody).map((body) => JSON.stringify(body)) },
  { weight: 6, arbitrary: mutatedBody.map((body) => JSON.stringify(body)) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 2, arbitrary: fc.constantFrom(...BROKEN_JSON) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 257 * 1024, max: 400 * 1024 })
      .map((size) => JSON.stringify({ customerEmailId: 'x'.repeat(size) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 20_000 })
      .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 5_000 })
      .map((depth) => `${'{"lineItems":'.repeat(depth)}[]${'}'.repeat(depth)}`),
  },
);

// ---------------------------------------------------------------------------------------------------------------------
// Headers.

const printable = (maxLength: number) =>
  fc.string({ unit: 'grapheme-ascii', maxLength }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

const headersArbitrary = (): fc.Arbitrary<Record<string, string>> =>
  fc
    .record(
      {
        authorization: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...tokens).map((token) => `Bearer ${token}`) },
          { weight: 1, arbitrary: fc.constantFrom(...tokens).map((token) => `bearer ${token}x`) },
          { weight: 1, arbitrary: printable(80).map((garbage) => `Bearer ${garbage}`) },
          { weight: 1, arbitrary: fc.constantFrom('Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a.b.c', '') },
        ),
        'ms-requestid': fc.oneof(fc.uuid(), fc.constant(''), printable(40), fc.constant('r'.repeat(300))),
        'ms-correlationid': fc.oneof(fc.uuid(), printable(60)),
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=latin1',
          'x/y',
        ),
        'x-locale': fc.constantFrom('en-US', 'de-DE', '??'),
      },
      { requiredKeys: [] },
    )
    .map(
      (headers) =>
        Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<
          string,
          string
        >,
    );

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS'];

const requestArbitrary = (): fc.Arbitrary<FuzzRequest> =>
  fc
    .tuple(
      pathArbitrary(),
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      queryArbitrary,
      bodyArbitrary,
      headersArbitrary(),
    )
    .map(([{ path, method }, otherMethod, query, body, headers]) => {
      const chosen = otherMethod ?? method;
      // fetch cannot send a body with GET.
      return {
        method: chosen,
        path: `${path}${query}`,
        headers,
        ...(chosen !== 'GET' && body !== undefined ? { body } : {}),
      };
    });

// ---------------------------------------------------------------------------------------------------------------------

interface Finding {
  request: string;
  status: number;
  problem: string;
  response: string;
}

async function sendAndJudge(request: FuzzRequest): Promise<Finding | undefined> {
  const describeRequest = () =>
    `${request.method} ${request.path.slice(0, 4_000)} headers=${JSON.stringify(request.headers).slice(0, 300)} body=${(request.body ?? '').slice(0, 300)}`;
  let response: Response;
  try {
    response = await fetch(`${cloud.urls.api}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
  } catch (error) {
    return { request: describeRequest(), status: 0, problem: `no answer: ${String(error)}`, response: '' };
  }
  const text = await response.text();
  const finding = (problem: string) => ({
    request: describeRequest(),
    status: response.status,
    problem,
    response: text.slice(0, 300),
  });
  if (response.status >= 500) return finding('server error');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return finding('body is not JSON');
  }
  if (response.status >= 400) {
    const error = body as { code?: unknown; description?: unknown };
    if (typeof error?.code !== 'string' || typeof error?.description !== 'string') {
      return finding('error body without string code and description');
    }
  }
  return undefined;
}

async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

beforeAll(async () => {
  cloud = await startTestCloud();
  const callers = [
    [T.contoso, 'AdminAgent'],
    [T.contoso, 'SalesAgent'],
    [T.northwind, 'AdminAgent'],
    [T.northwind, 'SalesAgent'],
    [T.fabrikam, 'AdminAgent'],
    [T.adatum, 'AdminAgent'],
    [T.litware, 'AdminAgent'],
    [randomUUID(), 'AdminAgent'],
  ] as const;
  tokens = await Promise.all(
    callers.map(([tenantId, role]) => cloud.tokenFor(tenantId, role, `fuzz-${role}`)),
  );
  tokens.push(
    await cloud.identity.signToken({
      tenantId: T.contoso,
      userId: 'expired',
      roles: ['AdminAgent'],
      expiresInSeconds: -60,
    }),
  );
  const woodgrove = sandboxSubscriptions(SANDBOX_CUSTOMERS.woodgrove, T.contoso);
  knownTransferIds = [];
  for (const [targetTenantId, status] of [
    [T.northwind, 'Active'],
    [T.fabrikam, 'InProgress'],
    [T.adatum, 'Canceled'],
  ] as const) {
    const transfer = await storeTransfer(cloud.storage, {
      customerId: SANDBOX_CUSTOMERS.woodgrove,
      sourceTenantId: T.contoso,
      targetTenantId,
      createdAt: new Date(),
      status,
      lineItems: woodgrove.slice(0, 2).map((subscription) => ({ subscription })),
    });
    knownTransferIds.push(transfer.id);
  }
});

afterAll(async () => {
  await cloud?.stop();
});

describe('fuzzing every route', () => {
  it(`answers ${REQUESTS} random and mutated requests without a 5xx, every error with code and description`, async () => {
    const requests = fc.sample(requestArbitrary(), { numRuns: REQUESTS, seed: SEED });
    expect(requests).toHaveLength(REQUESTS);
    // The sample really covers every route and the nasty cases.
    for (const route of ROUTES) {
      const prefix = route.path.split('{')[0] ?? route.path;
      expect(requests.some((request) => request.path.startsWith(prefix))).toBe(true);
    }
    expect(requests.filter((request) => (request.body?.length ?? 0) > 256 * 1024).length).toBeGreaterThan(5);
    expect(
      requests.filter((request) => request.headers['ms-requestid'] !== undefined).length,
    ).toBeGreaterThan(100);

    const findings = (await runBounded(requests, CONCURRENCY, sendAndJudge)).filter(
      (finding): finding is Finding => finding !== undefined,
    );
    if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, JSON.stringify(findings, null, 1));
    expect(findings.slice(0, 10), `seed ${SEED}: ${findings.length} bad answers`).toEqual([]);
  }, 120_000);
});
