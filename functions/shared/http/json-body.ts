// Reads a proxy event's body as JSON with the limits the API promises (size, syntax), as 400s naming `body`.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ApiError } from './api-error.ts';

export const MAX_BODY_BYTES = 256 * 1024;

export function readJsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new ApiError(400, 'RequestBodyTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes.`, [
      { field: 'body', code: 'too_big', description: `at most ${MAX_BODY_BYTES} bytes` },
    ]);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'not JSON';
    throw new ApiError(400, 'InvalidJson', 'The request body is not valid JSON.', [
      { field: 'body', code: 'invalid_json', description: reason },
    ]);
  }
}
