// Turns zod failures into the API's error shape, naming the exact field.
import type * as z from '#shared/zod.ts';
import { ApiError, type ErrorDetail } from './api-error.ts';

export type RequestPart = 'path' | 'query' | 'body' | 'header';

export function validationError(part: RequestPart, issues: readonly z.core.$ZodIssue[]): ApiError {
  const details: ErrorDetail[] = issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [part, ...issue.path.map(String), ...unknownKeys.slice(0, 1)].join('.');
    return { field: path, code: issue.code, description: issue.message };
  });
  const first = details[0];
  const summary = first ? `${first.field}: ${first.description}` : `invalid ${part}`;
  return new ApiError(400, 'InvalidRequest', `The request is invalid: ${summary}.`, details);
}

export function parsePart<S extends z.ZodMiniType>(
  part: RequestPart,
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(part, parsed.error.issues);
  return parsed.data;
}
