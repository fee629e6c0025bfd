// The caller identity a handler reads from the authorizer's context. API Gateway caches the authorizer's answer per
// token, so the handler itself refuses a token past its `exp`: a cached allow never outlives the token.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ApiError } from '#shared/http/api-error.ts';
import { callerFromEvent } from '#shared/http/caller.ts';

const NOW = new Date('2031-01-01T12:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;

const eventWith = (authorizer: Record<string, unknown> | null) =>
  ({ requestContext: { authorizer } }) as unknown as APIGatewayProxyEvent;

const context = (expiresAt: unknown) => ({
  tenantId: 'A0000000-0000-4000-8000-000000000001',
  userId: 'admin',
  roles: 'AdminAgent,SalesAgent',
  expiresAt,
});

const refusal = (run: () => unknown): ApiError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('callerFromEvent', () => {
  it('reads tenant (lower-cased), user and roles while the token is valid', () => {
    // API Gateway passes context values as strings.
    expect(callerFromEvent(eventWith(context(String(nowSeconds + 1))), NOW)).toEqual({
      tenantId: 'a0000000-0000-4000-8000-000000000001',
      userId: 'admin',
      roles: ['AdminAgent', 'SalesAgent'],
    });
  });

  it.each([
    ['at its exp', nowSeconds],
    ['one second after its exp (a cached allow)', nowSeconds - 1],
    ['an hour after its exp', nowSeconds - 3600],
  ])('refuses a token %s with a 401', (_case, expiresAt) => {
    const error = refusal(() => callerFromEvent(eventWith(context(expiresAt)), NOW));
    expect(error.statusCode).toBe(401);
    expect(error.description).toMatch(/expired/);
  });

  it.each([
    ['no authorizer context', null],
    ['no expiry', { ...context(undefined) }],
    ['an expiry that is not a number', context('soon')],
  ])('refuses %s with a 401', (_case, authorizer) => {
    expect(refusal(() => callerFromEvent(eventWith(authorizer), NOW)).statusCode).toBe(401);
  });
});
