// Reads the identity that the authorizer attached to a REST (v1) proxy event.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Caller, ROLES, type Role } from '#domain/model.ts';
import { ApiError } from './api-error.ts';

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Authorizer context values are strings on the wire; roles travel comma-separated. */
export function callerFromEvent(event: APIGatewayProxyEvent): Caller {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const tenantId = context?.tenantId;
  const userId = context?.userId;
  const roles = context?.roles;
  if (typeof tenantId !== 'string' || typeof userId !== 'string' || typeof roles !== 'string') {
    throw new ApiError(401, 'Unauthorized', 'The request carries no verified identity.');
  }
  return { tenantId, userId, roles: roles.split(',').filter(isRole) };
}
