// The OpenAPI document is generated from the route table and the payload schemas: every route is in it with its
// method, every parameter of a path template is declared, and every reference resolves.
import { describe, expect, it } from 'vitest';
import { buildApiDescription, ROUTE_SCHEMAS, statusOfErrorCode } from '#api/get-api-description.ts';
import { ROUTES } from '#api/routes.ts';
import { READ_ROUTE_SCHEMAS } from '#api/schemas/read-route-schemas.ts';
import { WRITE_ROUTE_SCHEMAS } from '#api/schemas/transfer-write-schemas.ts';
import { TEST_EVENT_TYPE, TRANSFER_EVENT_TYPES } from '#domain/webhooks/event-types.ts';
import { corsResponseHeaders } from '#shared/http/cors.ts';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: walking a generated JSON document.
const document = buildApiDescription() as any;

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, refs);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') refs.push(child);
      else collectRefs(child, refs);
    }
  }
  return refs;
}

describe('the API description', () => {
  it('promises no response header that the console origin could not read', () => {
    const promised = new Set<string>();
    for (const operations of Object.values(document.paths) as Json[]) {
      for (const operation of Object.values(operations) as Json[]) {
        for (const response of Object.values(operation.responses as Json) as Json[]) {
          for (const name of Object.keys((response.headers as Json | undefined) ?? {})) promised.add(name);
        }
      }
    }
    expect(promised).toContain('Location');
    const exposed = (
      corsResponseHeaders('https://console.example.com')['Access-Control-Expose-Headers'] ?? ''
    )
      .split(', ')
      .map((name) => name.toLowerCase());
    for (const name of promised) expect(exposed, name).toContain(name.toLowerCase());
  });

  it('is an OpenAPI 3.1 document that survives JSON', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    'describes %s with its method and path',
    (id, route) => {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(id);
      expect(operation.summary).toBe(route.summary);
      expect(operation.security).toEqual(route.authorized ? [{ bearerAuth: [] }] : []);
      const declared = (operation.parameters as Json[]).filter((p) => p.in === 'path').map((p) => p.name);
      const inTemplate = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(declared.sort()).toEqual(inTemplate.sort());
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
      if (route.authorized) expect(statuses).toContain('401');
      for (const status of statuses.filter((s) => !s.startsWith('2'))) {
        expect(operation.responses[status].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    },
  );

  it('has exactly one schema entry per route, read or write', () => {
    const read = Object.keys(READ_ROUTE_SCHEMAS);
    const write = Object.keys(WRITE_ROUTE_SCHEMAS);
    expect(read.filter((id) => write.includes(id))).toEqual([]);
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(ROUTES.map((route) => route.id).sort());
  });

  it('describes request bodies and query parameters from the zod schemas', () => {
    const create = document.paths['/v1/customers/{customerId}/transfers'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(
      expect.arrayContaining(['sourcePartnerTenantId', 'sourcePartnerName', 'customerEmailId']),
    );
    expect(body.additionalProperties).toBe(false);
    expect(create.responses['201'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Transfer',
    });
    const inbox = document.paths['/v1/transfers'].get;
    const query = Object.fromEntries((inbox.parameters as Json[]).map((p) => [p.name, p]));
    expect(query.direction).toMatchObject({
      in: 'query',
      required: true,
      schema: { enum: ['incoming', 'outgoing'] },
    });
    expect(query.limit).toMatchObject({ in: 'query', required: false });
    expect(query.continuationToken).toMatchObject({ in: 'query', required: false });
    expect(query['MS-RequestId']).toMatchObject({ in: 'header' });
  });

  it('describes submit (and its alias) as 202 with Location and the transfer without its line items', () => {
    for (const action of ['submit', 'accept']) {
      const operation = document.paths[`/v1/customers/{customerId}/transfers/{transferId}/${action}`].post;
      expect(Object.keys(operation.responses).filter((status) => status.startsWith('2'))).toEqual(['202']);
      const accepted = operation.responses['202'];
      expect(accepted.content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/SubmittedTransfer',
      });
      expect(accepted.headers.Location).toMatchObject({ schema: { type: 'string' } });
    }
    const submitted = document.components.schemas.SubmittedTransfer;
    expect(submitted.required).toEqual(expect.arrayContaining(['id', 'status', 'lineItemCount', 'progress']));
    expect(submitted.properties.status).toMatchObject({ const: 'Accepted' });
    expect(submitted.properties.lineItems).toBeUndefined();
    // The reference's PATCH still answers 200 with the whole transfer.
    const patch = document.paths['/v1/customers/{customerId}/transfers/{transferId}'].patch;
    expect(patch.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Transfer',
    });
  });

  it('resolves every reference', () => {
    for (const ref of collectRefs(document)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(document.components.schemas[name], ref).toBeDefined();
    }
  });

  it('files error codes under their statuses', () => {
    expect(statusOfErrorCode('TransferNotFound')).toBe('404');
    expect(statusOfErrorCode('AdminAgentRequired')).toBe('403');
    expect(statusOfErrorCode('InvalidContinuationToken')).toBe('400');
    expect(statusOfErrorCode('SomethingNew')).toBe('4XX');
    const unknown = Object.values(ROUTE_SCHEMAS)
      .flatMap((schemas) => schemas.errorCodes)
      .filter((code) => statusOfErrorCode(code) === '4XX');
    expect(unknown, 'error codes whose status the description does not know').toEqual([]);
    const get = document.paths['/v1/customers/{customerId}/transfers/{transferId}'].get;
    expect(get.responses['404'].description).toContain('TransferNotFound');
  });

  it.each([...TRANSFER_EVENT_TYPES, TEST_EVENT_TYPE])(
    'describes the %s event under webhooks: the Standard Webhooks headers and its body',
    (type) => {
      const operation = document.webhooks[type]?.post;
      expect(operation, type).toBeDefined();
      expect((operation.parameters as Json[]).map((parameter) => [parameter.name, parameter.in])).toEqual([
        ['webhook-id', 'header'],
        ['webhook-timestamp', 'header'],
        ['webhook-signature', 'header'],
      ]);
      const body = operation.requestBody.content['application/json'].schema;
      expect(body.properties.type).toMatchObject({ const: type });
      expect(body.required).toEqual(expect.arrayContaining(['type', 'timestamp', 'data']));
      if (type !== TEST_EVENT_TYPE) {
        expect(body.properties.data.required).toEqual(expect.arrayContaining(['transfer', 'sequence']));
      }
    },
  );
});
