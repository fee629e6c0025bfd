// Maps anything thrown by a handler to a structured response; unknown failures never leak details.
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  InvalidContinuationTokenError,
  InvalidKeyError,
  StorageError,
  StorageUnavailableError,
  TransferStatusConflictError,
  VersionConflictError,
} from '#application/storage-errors.ts';
import { DomainError } from '#domain/errors.ts';
import { isTerminal } from '#domain/lifecycle.ts';
import { logger } from '#shared/logger.ts';
import { ApiError } from './api-error.ts';

function fromDomainError(error: DomainError): ApiError {
  const details = (error.details ?? []).map((detail) => ({
    ...(detail.target ? { field: detail.target } : {}),
    code: detail.code,
    description: detail.description,
  }));
  return new ApiError(error.status, error.code, error.message, details);
}

function fromStorageError(error: StorageError): ApiError {
  if (error instanceof InvalidContinuationTokenError) {
    return new ApiError(400, 'InvalidContinuationToken', error.message, [
      { field: 'query.continuationToken', code: 'invalid', description: error.message },
    ]);
  }
  if (error instanceof InvalidKeyError) return new ApiError(400, 'InvalidRequest', error.message);
  if (error instanceof VersionConflictError) {
    return new ApiError(
      409,
      'ConcurrentModification',
      'The transfer changed while this request ran; read it and retry.',
    );
  }
  if (error instanceof TransferStatusConflictError) {
    // A lost submit/cancel race that no service turned into its domain refusal: still a clean 409, never a 500.
    const code = isTerminal(error.currentStatus) ? 'TransferTerminal' : 'TransferNotActive';
    return new ApiError(409, code, `The transfer is ${error.currentStatus}: it is no longer pending.`);
  }
  if (error instanceof StorageUnavailableError) {
    return new ApiError(503, 'ServiceUnavailable', 'Storage is temporarily unavailable; retry shortly.');
  }
  logger.error('Storage error', { error });
  return new ApiError(
    500,
    'InternalError',
    'The service could not complete the request; it is safe to retry.',
  );
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof StorageError) return fromStorageError(error);
  logger.error('Unhandled error', { error: error instanceof Error ? error : String(error) });
  return new ApiError(
    500,
    'InternalError',
    'The service could not complete the request; it is safe to retry.',
  );
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}
