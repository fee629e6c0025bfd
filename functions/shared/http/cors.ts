// Cross-origin access for exactly one browser origin, the partner console's. One definition for the handlers'
// responses, the local API stand-in's preflight and the CDK stack's preflight and gateway responses.

export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'MS-CorrelationId',
  'MS-RequestId',
] as const;
/**
 * What the console's scripts may read from a response: the ids to quote for support, the replay marker, when to retry,
 * and where a created or submitted transfer lives (every header the API description promises).
 */
export const CORS_EXPOSED_HEADERS = [
  'Location',
  'MS-CorrelationId',
  'MS-RequestId',
  'MS-Idempotent-Replay',
  'Retry-After',
] as const;
export const CORS_MAX_AGE_SECONDS = 600;

/** Headers that let the console origin read a response; none when no console origin is configured. */
export function corsResponseHeaders(consoleOrigin: string | undefined): Record<string, string> {
  if (!consoleOrigin) return {};
  return {
    'Access-Control-Allow-Origin': consoleOrigin,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
    Vary: 'Origin',
  };
}

/** The answer to a preflight from the console origin. */
export function corsPreflightHeaders(consoleOrigin: string): Record<string, string> {
  return {
    ...corsResponseHeaders(consoleOrigin),
    'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
}
