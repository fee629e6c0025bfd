// API Gateway TOKEN authorizer: a verified token becomes the caller identity (tenant, user, roles) in the
// request context; anything else is "Unauthorized", which API Gateway turns into a 401.
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { JWKS_URL, JWT_AUDIENCE, JWT_ISSUER, loadConfig } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';
import { instrumentedMiddy } from '#shared/observability/instrument.ts';
import { bearerToken, createTokenVerifier, InvalidTokenError } from './verify-token.ts';

const config = loadConfig([JWT_ISSUER, JWT_AUDIENCE, JWKS_URL]);
const verifyToken = createTokenVerifier({
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  jwksUrl: config.JWKS_URL,
});

/** The policy covers every route of the stage so API Gateway may cache it per token. */
const stageWildcard = (methodArn: string): string => {
  const [arnPrefix, apiId, stage] = methodArn.split('/');
  return `${arnPrefix}/${apiId}/${stage}/*`;
};

async function authorize(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = bearerToken(event.authorizationToken);
  if (!token) throw new Error('Unauthorized');
  try {
    const claims = await verifyToken(token);
    return {
      principalId: claims.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(event.methodArn) },
        ],
      },
      context: {
        tenantId: claims.tid,
        userId: claims.sub,
        roles: claims.roles.join(','),
        expiresAt: claims.exp,
      },
    };
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      logger.info('Token refused', { reason: error.message });
      throw new Error('Unauthorized');
    }
    throw error;
  }
}

export const handler = instrumentedMiddy<
  APIGatewayTokenAuthorizerEvent,
  APIGatewayAuthorizerResult
>().handler(authorize);
