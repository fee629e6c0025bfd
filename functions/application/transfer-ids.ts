// Transfer ids. With an MS-RequestId the id is derived from (tenant, customer, request id), so a retried create
// after a crash finds the transfer the first attempt wrote instead of creating a second one.
import { createHash, randomUUID } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 8, the SHA-256 variant of the name-based versions 3 and 5): the first 16 bytes
 * of SHA-256 over a fixed namespace and the name, with the version and variant bits set.
 */
export function nameBasedUuid(namespace: string, name: string): string {
  const bytes = createHash('sha256').update(namespace).update('\u0000').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const TRANSFER_ID_NAMESPACE = 'partner-transfers/transfer-id/v1';

/** The id of the transfer that a create request with this MS-RequestId makes (or made). */
export function transferIdForRequest(targetTenantId: string, customerId: string, requestId: string): string {
  return nameBasedUuid(TRANSFER_ID_NAMESPACE, JSON.stringify([targetTenantId, customerId, requestId]));
}

export function newTransferId(
  requestId: string | undefined,
  targetTenantId: string,
  customerId: string,
): string {
  return requestId === undefined ? randomUUID() : transferIdForRequest(targetTenantId, customerId, requestId);
}
