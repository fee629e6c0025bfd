// Writes the sandbox into the table, insert-if-absent, so a restart on a data folder keeps every change.
import type { Storage } from '#application/ports.ts';
import {
  SANDBOX_CUSTOMER_RECORDS,
  SANDBOX_PARTNERS,
  SANDBOX_RELATIONSHIPS,
  SANDBOX_SUBSCRIPTIONS,
  SANDBOX_USERS,
} from './sandbox.ts';

/** Resolves true when anything was written (a fresh table). */
export async function seedSandbox(storage: Storage): Promise<boolean> {
  const written = await Promise.all([
    ...SANDBOX_PARTNERS.map((partner) => storage.directory.putPartner(partner)),
    ...SANDBOX_USERS.map((user) => storage.directory.putUser(user)),
    ...SANDBOX_CUSTOMER_RECORDS.map((customer) => storage.directory.putCustomer(customer)),
    ...SANDBOX_RELATIONSHIPS.map((relationship) => storage.directory.putRelationship(relationship)),
    ...SANDBOX_SUBSCRIPTIONS.map((subscription) => storage.subscriptions.put(subscription)),
  ]);
  return written.some(Boolean);
}
