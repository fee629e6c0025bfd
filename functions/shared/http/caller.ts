// Reads the identity that the authorizer attached to a REST (v1) proxy event.
//
// API Gateway caches the authorizer's answer per token (for `authorizerCacheSeconds`), so a cached "allow" can
// outlive the token's own `exp`. The authorizer therefore passes `exp` along (`expiresAt`, epoch seconds) and every
// handler refuses the request once it has passed: a token never works past its expiry, whatever the cache holds.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Caller, ROLES, type Role } from '#domain/model.ts';
import { ApiError } from './api-error.ts';

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const noIdentity = () => new ApiError(401, 'Unauthorized', 'The request carries no verified identity.');

/** Authorizer context values are strings (or numbers) on the wire; roles travel comma-separated. */
export function callerFromEvent(event: APIGatewayProxyEvent, now: Date = new Date()): Caller {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const tenantId = context?.tenantId;
  const userId = context?.userId;
  const roles = context?.roles;
  const expiresAt = Number(context?.expiresAt);
  if (typeof tenantId !== 'string' || typeof userId !== 'string' || typeof roles !== 'string')
    throw noIdentity();
  if (!Number.isFinite(expiresAt)) throw noIdentity();
  if (now.getTime() >= expiresAt * 1000) {
    throw new ApiError(
      401,
      'Unauthorized',
      'The token has expired. Get a new token and send the request again.',
    );
  }
  return { tenantId: tenantId.toLowerCase(), userId, roles: roles.split(',').filter(isRole) };
}
