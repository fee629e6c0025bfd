// The errors the client throws: an answer of the API that is not a success (ApiError, with the API's own code,
// description and details) or no answer at all after every retry (ApiUnreachableError).

export interface ApiErrorDetail {
  field?: string;
  code: string;
  description: string;
}

export interface ApiErrorInit {
  status: number;
  code: string;
  description: string;
  details?: readonly ApiErrorDetail[];
  correlationId?: string;
  requestId?: string;
  method: string;
  url: string;
}

/** The API answered with an error body `{ code, description, details }` (or an error status without one). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, e.g. 404. */
  readonly status: number;
  /** The API's stable code, e.g. `TransferNotFound`; `HttpError` when the answer had no error body. */
  readonly code: string;
  readonly description: string;
  /** Per-field problems (`field` is a dotted path such as `body.lineItems.0.quantity`). */
  readonly details: readonly ApiErrorDetail[];
  /** The `MS-CorrelationId` of the call: quote it when asking for help. */
  readonly correlationId: string | undefined;
  /** The `MS-RequestId` the write carried (the same on every retry). */
  readonly requestId: string | undefined;
  readonly method: string;
  readonly url: string;

  constructor(init: ApiErrorInit) {
    super(`${init.code}: ${init.description} (HTTP ${init.status})`);
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.details = init.details ?? [];
    this.correlationId = init.correlationId;
    this.requestId = init.requestId;
    this.method = init.method;
    this.url = init.url;
  }
}

/** No answer from the API (connection refused or dropped, DNS, timeout) after every retry. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  readonly method: string;
  readonly url: string;
  readonly attempts: number;
  readonly correlationId: string | undefined;

  constructor(init: {
    method: string;
    url: string;
    attempts: number;
    correlationId?: string;
    cause: unknown;
  }) {
    super(
      `${init.method} ${init.url} got no answer after ${init.attempts} attempt(s): ${describe(init.cause)}`,
      {
        cause: init.cause,
      },
    );
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts;
    this.correlationId = init.correlationId;
  }
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

function isErrorBody(
  value: unknown,
): value is { code: string; description: string; details?: ApiErrorDetail[] } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.description === 'string';
}

/** What the client sent, for the error it builds from the answer. */
export interface SentRequest {
  method: string;
  url: string;
  correlationId?: string;
  requestId?: string;
}

/** The ApiError for a non-success response whose body openapi-fetch already read (`body`: parsed JSON or text). */
export function apiErrorFrom(response: Response, body: unknown, sent: SentRequest): ApiError {
  const common = {
    status: response.status,
    correlationId: response.headers.get('ms-correlationid') ?? sent.correlationId,
    requestId: sent.requestId,
    method: sent.method,
    url: response.url || sent.url,
  };
  if (isErrorBody(body)) {
    return new ApiError({
      ...common,
      code: body.code,
      description: body.description,
      details: Array.isArray(body.details) ? body.details : [],
    });
  }
  const text = typeof body === 'string' && body.length > 0 ? `: ${body.slice(0, 200)}` : '';
  return new ApiError({
    ...common,
    code: 'HttpError',
    description: `${response.status} ${response.statusText}${text}`.trim(),
  });
}
