// Verifies a bearer token: RS256 signature against the JWKS, issuer, audience, expiry, then our claims.
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { TOKEN_CLAIMS_SCHEMA, type TokenClaims } from './token-claims.ts';

export interface TokenVerifierSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<TokenClaims>;

export function createTokenVerifier(settings: TokenVerifierSettings, keys?: JWTVerifyGetKey): TokenVerifier {
  // The key set is cached by jose across invocations of a warm container.
  const keySet = keys ?? createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 3000 });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      });
      const claims = TOKEN_CLAIMS_SCHEMA.safeParse(payload);
      if (!claims.success) throw new InvalidTokenError('token claims are incomplete');
      return claims.data;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError(error.code);
      throw error;
    }
  };
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1];
}
