// GET /v1/openapi.json (no token): the OpenAPI 3.1 description of this API, generated from the route table and the
// same zod schemas the handlers validate with, so the document cannot drift from what the API does.
import { DOMAIN_ERRORS, isDomainErrorCode } from '#domain/errors.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { MAX_BODY_BYTES } from '#shared/http/json-body.ts';
import * as z from '#shared/zod.ts';
import { ROUTES, type RouteDefinition } from './routes.ts';
import { ERROR_BODY_SCHEMA, type RouteSchemas } from './schemas/common-schemas.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { SUBMITTED_TRANSFER_SCHEMA, TRANSFER_SCHEMA } from './schemas/transfer-read-schemas.ts';
import { WRITE_ROUTE_SCHEMAS } from './schemas/transfer-write-schemas.ts';
import { WEBHOOK_ROUTE_SCHEMAS } from './schemas/webhook-schemas.ts';
import { webhookEventsDescription } from './webhook-events-description.ts';

type JsonSchema = Record<string, unknown>;

/** Every route's schema entry, by route id. */
export const ROUTE_SCHEMAS: Readonly<Record<string, RouteSchemas>> = {
  ...READ_ROUTE_SCHEMAS,
  ...WRITE_ROUTE_SCHEMAS,
  ...WEBHOOK_ROUTE_SCHEMAS,
};

/** Statuses of the codes the HTTP layer (not the domain) answers with. */
const API_ERROR_STATUSES: Readonly<Record<string, number>> = {
  InvalidRequest: 400,
  InvalidJson: 400,
  RequestBodyTooLarge: 400,
  InvalidContinuationToken: 400,
  NothingToUpdate: 400,
  ReadOnlyFieldMismatch: 400,
  Unauthorized: 401,
  AccessDenied: 403,
  NotFound: 404,
  RouteNotFound: 404,
  MethodNotAllowed: 405,
  ConcurrentModification: 409,
  RequestInProgress: 409,
  PayloadTooLarge: 413,
  RequestIdReused: 422,
  InternalError: 500,
  ServiceUnavailable: 503,
};

/** The status a code is answered with; codes this table does not know are listed under `4XX`. */
export function statusOfErrorCode(code: string): string {
  if (isDomainErrorCode(code)) return String(DOMAIN_ERRORS[code].status);
  const status = API_ERROR_STATUSES[code];
  return status === undefined ? '4XX' : String(status);
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

/** Bodies several routes share, described once under components and referenced by name. */
const SHARED_BODIES: Readonly<Record<string, z.ZodMiniType>> = {
  Transfer: TRANSFER_SCHEMA,
  SubmittedTransfer: SUBMITTED_TRANSFER_SCHEMA,
};
const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function toJsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Each property of a params or query object as one OpenAPI parameter. */
function parametersOf(schema: z.ZodMiniType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = toJsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function headerParameters(schemas: RouteSchemas): JsonSchema[] {
  return [
    {
      name: 'MS-CorrelationId',
      in: 'header',
      required: false,
      description:
        'Ties related calls together; echoed in the response and written to the logs. A GUID or up to 128 of ' +
        'A-Z a-z 0-9 . _ ~ : / + = @ -; any other value is replaced by a new GUID (the response header tells which).',
      schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._~:/+=@-]+$' },
    },
    {
      name: 'MS-RequestId',
      in: 'header',
      required: false,
      description: schemas.idempotentWithRequestId
        ? 'A GUID per request: a retried request with the same id replays the first response instead of acting twice.'
        : 'A GUID per request; echoed in the response.',
      schema: { type: 'string', maxLength: 128 },
    },
  ];
}

function errorResponses(route: RouteDefinition, schemas: RouteSchemas): Record<string, JsonSchema> {
  const codes = [
    'InvalidRequest',
    ...(schemas.body ? ['InvalidJson', 'RequestBodyTooLarge'] : []),
    ...(route.authorized ? ['Unauthorized'] : []),
    ...schemas.errorCodes,
    'InternalError',
    'ServiceUnavailable',
  ];
  const byStatus = new Map<string, string[]>();
  for (const code of new Set(codes)) {
    const status = statusOfErrorCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus.entries()].map(([status, statusCodes]) => [
      status,
      {
        description: `Error; \`code\` is one of: ${statusCodes.join(', ')}.`,
        content: { 'application/json': { schema: ERROR_REF } },
      },
    ]),
  );
}

function successResponse(schemas: RouteSchemas, isWrite: boolean): JsonSchema {
  // Write routes whose schema entry names no body answer with the transfer.
  const body = schemas.response.body ?? (isWrite ? TRANSFER_SCHEMA : undefined);
  const shared = Object.entries(SHARED_BODIES).find(([, schema]) => schema === body)?.[0];
  const schema = shared === undefined ? body : refTo(shared);
  const headers = Object.entries(schemas.response.headers ?? {}).map(([name, description]) => [
    name,
    { description, schema: { type: 'string' } },
  ]);
  return {
    description: schemas.response.description,
    headers: { 'MS-CorrelationId': { schema: { type: 'string' } }, ...Object.fromEntries(headers) },
    ...(schema
      ? {
          content: {
            'application/json': { schema: 'safeParse' in schema ? toJsonSchema(schema, 'output') : schema },
          },
        }
      : {}),
  };
}

function tagOf(path: string): string {
  if (path.startsWith('/v1/webhooks')) return 'Webhooks';
  return path.includes('/transfers') ? 'Transfers' : 'Partner data';
}

function operation(route: RouteDefinition): JsonSchema {
  const schemas = ROUTE_SCHEMAS[route.id];
  if (!schemas) throw new Error(`Route ${route.id} has no entry in ROUTE_SCHEMAS`);
  const isWrite = route.id in WRITE_ROUTE_SCHEMAS;
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [tagOf(route.path)],
    security: route.authorized ? [{ bearerAuth: [] }] : [],
    parameters: [
      ...parametersOf(schemas.params, 'path'),
      ...parametersOf(schemas.query, 'query'),
      ...headerParameters(schemas),
    ],
    ...(schemas.body
      ? {
          requestBody: {
            required: true,
            description: `JSON, at most ${MAX_BODY_BYTES} bytes; unknown fields are refused.`,
            content: { 'application/json': { schema: toJsonSchema(schemas.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(schemas.response.status)]: successResponse(schemas, isWrite),
      ...errorResponses(route, schemas),
    },
  };
}

export function buildApiDescription(routes: readonly RouteDefinition[] = ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const entry = paths[route.path] ?? {};
    entry[route.method.toLowerCase()] = operation(route);
    paths[route.path] = entry;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Partner transfers API',
      version: '1.0.0',
      description:
        'Partner-to-partner transfers of customer subscriptions, compatible in shape with the Partner Center ' +
        'transfer API. Every error answers { code, description, details }. Listings answer ' +
        '{ totalCount, items, continuationToken?, links: { self, next? } }; follow links.next for the next page.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    webhooks: webhookEventsDescription(),
    components: {
      schemas: {
        Error: toJsonSchema(ERROR_BODY_SCHEMA, 'output'),
        ...Object.fromEntries(
          Object.entries(SHARED_BODIES).map(([name, schema]) => [name, toJsonSchema(schema, 'output')]),
        ),
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A partner user token: tenant id (tid) and roles (AdminAgent, SalesAgent, HelpdeskAgent).',
        },
      },
    },
  };
}

// Built once per container: the routes and schemas are fixed at deploy time.
let description: JsonSchema | undefined;

export const handler = defineApiHandler({ authorized: false }, async () => {
  description ??= buildApiDescription();
  return { statusCode: 200, body: description, headers: { 'cache-control': 'public, max-age=300' } };
});
