// The sandbox parties the benchmarks use and the request bodies they send: the Fabrikam admin (target) takes over
// Woodgrove from Contoso (source), as in the README's example.
import {
  SANDBOX_CUSTOMERS,
  SANDBOX_SUBSCRIPTIONS,
  SANDBOX_TENANTS,
  SANDBOX_USERS,
  sandboxUser,
} from '#local/sandbox.ts';

export const BENCH_CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
export const BENCH_SOURCE = SANDBOX_TENANTS.contoso;
export const BENCH_TARGET = SANDBOX_TENANTS.fabrikam;
export const TARGET_ADMIN = sandboxUser(BENCH_TARGET, 'AdminAgent');
export const SOURCE_ADMIN = sandboxUser(BENCH_SOURCE, 'AdminAgent');

export const transfersPath = (customerId = BENCH_CUSTOMER) => `/v1/customers/${customerId}/transfers`;
export const transferPath = (transferId: string, customerId = BENCH_CUSTOMER) =>
  `${transfersPath(customerId)}/${transferId}`;

export const createTransferBody = () => ({
  sourcePartnerTenantId: BENCH_SOURCE,
  sourcePartnerName: 'Contoso Direct',
  customerEmailId: 'it@woodgrove.example',
  transferType: 3,
});

/**
 * The API benchmark's creates go to another customer (Alpine, billed by Northwind), so the transfers they pile up
 * never change what its get and list of Woodgrove read.
 */
export const CREATE_BENCH_CUSTOMER = SANDBOX_CUSTOMERS.alpine;
export const createBenchTransferBody = () => ({
  sourcePartnerTenantId: SANDBOX_TENANTS.northwind,
  sourcePartnerName: 'Northwind Provider',
  customerEmailId: 'billing@alpine.example',
  transferType: 3,
});

/** Every fixed id of the sandbox (lower case): ids a replay must keep. */
export const SANDBOX_IDS: ReadonlySet<string> = new Set(
  [
    ...Object.values(SANDBOX_TENANTS),
    ...Object.values(SANDBOX_CUSTOMERS),
    ...SANDBOX_USERS.map((user) => user.userId),
    ...SANDBOX_SUBSCRIPTIONS.map((subscription) => subscription.subscriptionId),
  ].map((id) => id.toLowerCase()),
);
