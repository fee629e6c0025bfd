// The local cloud's identity provider: one RS256 key pair kept on disk so tokens survive restarts and
// `npm run token` can sign without the server running. Production uses a real IdP's JWKS instead.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Role } from '#domain/model.ts';

export const LOCAL_ISSUER = 'https://identity.partner-transfers.local';
export const LOCAL_AUDIENCE = 'partner-transfers';
/** The console's client id at the local OpenID provider (also the stack's default consoleClientId). */
export const CONSOLE_CLIENT_ID = 'partner-console';
/** The scope that gets the console an access token for the API (audience LOCAL_AUDIENCE) from the local provider. */
export const API_SCOPE = 'transfers';

interface StoredKeyPair {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface TokenRequest {
  tenantId: string;
  userId: string;
  roles: readonly Role[];
  /** Seconds from now; negative values make expired tokens for tests. */
  expiresInSeconds?: number;
}

export interface LocalIdentity {
  jwks: { keys: JWK[] };
  /** The private half, for the local OpenID provider: it signs with the very key the authorizer trusts. */
  signingJwk: JWK;
  signToken(request: TokenRequest): Promise<string>;
}

async function readKeyPair(file: string): Promise<StoredKeyPair | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredKeyPair;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function createKeyPair(file: string): Promise<StoredKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const stored: StoredKeyPair = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  await mkdir(dirname(file), { recursive: true });
  // Write then rename, so a crash never leaves a torn key file behind.
  await writeFile(`${file}.tmp`, JSON.stringify(stored), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return stored;
}

export async function loadLocalIdentity(keyFile: string): Promise<LocalIdentity> {
  const stored = (await readKeyPair(keyFile).catch(() => undefined)) ?? (await createKeyPair(keyFile));
  const privateKey = await importJWK(stored.privateJwk, 'RS256');
  return {
    jwks: { keys: [stored.publicJwk] },
    signingJwk: stored.privateJwk,
    async signToken({ tenantId, userId, roles, expiresInSeconds = 12 * 3600 }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: tenantId, roles: [...roles] })
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresInSeconds)
        .sign(privateKey);
    },
  };
}
