// Giving subscriptions back when a transfer no longer needs them (dropped line items, cancel, expiry, failed moves).
import { forEachConcurrently } from '#shared/for-each-concurrently.ts';
import type { Storage } from './ports.ts';

const RELEASE_CONCURRENCY = 16;

/**
 * Releases the transfer's claims on these subscriptions; a claim held by another transfer is never touched.
 * Resolves how many claims this call released (repeating it releases none).
 */
export async function releaseClaims(
  storage: Pick<Storage, 'subscriptions'>,
  transfer: { id: string; customerTenantId: string },
  subscriptionIds: readonly string[],
): Promise<number> {
  let released = 0;
  await forEachConcurrently(subscriptionIds, RELEASE_CONCURRENCY, async (subscriptionId) => {
    if (await storage.subscriptions.releaseClaim(transfer.customerTenantId, subscriptionId, transfer.id)) {
      released += 1;
    }
  });
  return released;
}
