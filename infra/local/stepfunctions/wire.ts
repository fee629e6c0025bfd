// Reading request members and paging tokens of the Step Functions JSON 1.0 protocol.
import { invalidToken, missingMember, StepFunctionsServiceError, validationError } from './errors.ts';

export type WireObject = Record<string, unknown>;

export const toEpochSeconds = (date: Date): number => date.getTime() / 1000;

function checkLength(member: string, value: string, maxLength: number | undefined, minLength = 0): string {
  if (value.length < minLength || (maxLength !== undefined && value.length > maxLength)) {
    throw validationError(
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: ` +
        `Member must have length between ${minLength} and ${maxLength ?? 'unbounded'}`,
    );
  }
  return value;
}

export function optionalString(request: WireObject, member: string, maxLength?: number): string | undefined {
  const value = request[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new StepFunctionsServiceError('SerializationException', `Member '${member}' must be a string`);
  }
  return checkLength(member, value, maxLength);
}

export function requiredString(request: WireObject, member: string, maxLength?: number): string {
  const value = optionalString(request, member, maxLength);
  if (value === undefined) throw missingMember(member);
  return checkLength(member, value, maxLength, 1);
}

export function optionalBoolean(request: WireObject, member: string): boolean | undefined {
  const value = request[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new StepFunctionsServiceError('SerializationException', `Member '${member}' must be a boolean`);
  }
  return value;
}

/** maxResults of the List/Get operations: 0 (or absent) means the default page size. */
export function pageSize(request: WireObject, defaultSize = 100, maximum = 1000): number {
  const value = request.maxResults;
  if (value === undefined || value === null || value === 0) return defaultSize;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > maximum) {
    throw validationError(
      `1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: ` +
        `Member must have value between 0 and ${maximum}`,
    );
  }
  return value;
}

/** Opaque nextToken: base64url JSON that says where the next page starts and for which query it was issued. */
export function encodePageToken(position: WireObject): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodePageToken(token: string | undefined, query: WireObject): WireObject | undefined {
  if (token === undefined) return undefined;
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken('Invalid token');
  }
  if (typeof position !== 'object' || position === null || Array.isArray(position))
    throw invalidToken('Invalid token');
  const decoded = position as WireObject;
  for (const [member, value] of Object.entries(query)) {
    if (decoded[member] !== value) throw invalidToken('Invalid token');
  }
  return decoded;
}
