// Continuation tokens as clients see them: the storage's own token (a DynamoDB key, which may name an item the caller
// was not shown) sealed with AES-256-GCM under a key from configuration (CONTINUATION_TOKEN_SECRET). The caller's
// tenant and the listing (path and filters) are the authenticated associated data, so a token reveals nothing, and
// one that was altered, or is replayed by another tenant or on another listing, fails to open: a 400, never a page.
// The page size is not bound: a client may change `limit` between pages.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { InvalidContinuationTokenError } from '#application/storage-errors.ts';
import { CONTINUATION_TOKEN_SECRET, loadConfig } from '#shared/config.ts';

/** Who reads which listing: a token opens only for the same tenant, path and filters. */
export interface ContinuationTokenScope {
  tenantId: string;
  /** The route's path with its parameters filled in. */
  path: string;
  /** The listing's filters (undefined ones and `limit` are left out). */
  filters: Record<string, string | number | undefined>;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Longer than any token we issue (storage tokens are a few hundred characters). */
const MAX_SEALED_LENGTH = 4096;

export function continuationTokenKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'partner-transfers', 'continuation-token/v1', 32));
}

let configuredKey: Buffer | undefined;
/** Read on first use, so that modules that never page do not need the variable. */
function keyFromConfiguration(): Buffer {
  configuredKey ??= continuationTokenKey(loadConfig([CONTINUATION_TOKEN_SECRET]).CONTINUATION_TOKEN_SECRET);
  return configuredKey;
}

function associatedData(scope: ContinuationTokenScope): Buffer {
  const filters = Object.entries(scope.filters)
    .filter(([name, value]) => value !== undefined && name !== 'limit')
    .map(([name, value]) => [name, String(value)])
    .sort(([left], [right]) => ((left ?? '') < (right ?? '') ? -1 : 1));
  return Buffer.from(JSON.stringify([VERSION, scope.tenantId.toLowerCase(), scope.path, filters]), 'utf8');
}

export function sealContinuationToken(
  storageToken: string,
  scope: ContinuationTokenScope,
  key: Buffer = keyFromConfiguration(),
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(scope));
  const sealed = Buffer.concat([cipher.update(storageToken, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The storage token inside; InvalidContinuationTokenError (a 400) for anything this scope did not issue. */
export function openContinuationToken(
  token: string,
  scope: ContinuationTokenScope,
  key: Buffer = keyFromConfiguration(),
): string {
  if (token.length > MAX_SEALED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new InvalidContinuationTokenError('it is not a token this API issued');
  }
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
    throw new InvalidContinuationTokenError('it is not a token this API issued');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(associatedData(scope));
  decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new InvalidContinuationTokenError(
      'it was altered, or it belongs to another caller or listing; start again without a token',
    );
  }
}
