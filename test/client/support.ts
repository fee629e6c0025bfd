// What the client tests share: a client for a sandbox partner of a test cloud, and the sandbox facts they use.
import { createPartnerTransfersClient, type PartnerTransfersClient } from '@partner-transfers/client';
import type { Role } from '#domain/model.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_PARTNERS, SANDBOX_TENANTS } from '#local/sandbox.ts';
import type { TestCloud } from '#test/support/local-cloud.ts';

export const CUSTOMER = SANDBOX_CUSTOMERS.woodgrove;
export const SOURCE = SANDBOX_TENANTS.contoso;
export const TARGET = SANDBOX_TENANTS.fabrikam;

export function partnerName(tenantId: string): string {
  return SANDBOX_PARTNERS.find((partner) => partner.tenantId === tenantId)?.name ?? 'Unknown partner';
}

/** A create request of TARGET for CUSTOMER, billed today by SOURCE. */
export function createRequest(source = SOURCE) {
  return {
    sourcePartnerTenantId: source,
    sourcePartnerName: partnerName(source),
    customerEmailId: 'client-test@woodgrove.example',
  };
}

/** No waiting between retries: tests assert what happens, not how long it takes. */
export const NO_BACKOFF = { attempts: 4, baseDelayMs: 0, maxDelayMs: 0 };

export function clientFor(
  cloud: TestCloud,
  tenantId: string,
  role: Role = 'AdminAgent',
  baseUrl = cloud.urls.api,
): PartnerTransfersClient {
  return createPartnerTransfersClient({
    baseUrl,
    token: () => cloud.tokenFor(tenantId, role),
    retry: NO_BACKOFF,
  });
}
