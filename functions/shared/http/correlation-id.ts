// MS-CorrelationId is echoed in the response and copied to every log line, so only a bounded, printable value is
// accepted: a GUID or at most 128 characters from a safe ASCII set. Anything else (too long, spaces, control
// characters, non-ASCII) is replaced by a fresh GUID rather than refused: a correlation id must never fail a request.
import { randomUUID } from 'node:crypto';

export const MAX_CORRELATION_ID_LENGTH = 128;

/** Letters, digits and the punctuation ids are made of; no spaces, quotes, angle brackets or control characters. */
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._~:/+=@-]+$/;

export function isAcceptableCorrelationId(value: string): boolean {
  return value.length <= MAX_CORRELATION_ID_LENGTH && SAFE_CORRELATION_ID.test(value);
}

/** The caller's correlation id when it is acceptable, otherwise a new GUID. */
export function correlationIdFor(header: string | undefined): string {
  return header !== undefined && isAcceptableCorrelationId(header) ? header : randomUUID();
}
