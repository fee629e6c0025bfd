// Mints a bearer token for the local cloud from its signing key: what `npm run token` prints and what
// `partner-transfers login --tenant` stores. Tenants by GUID or sandbox name; the sandbox user of that role by default.
import { z } from 'zod';
import { ROLES, type Role } from '#domain/model.ts';
import { loadLocalIdentity } from './identity.ts';
import { signingKeyFile } from './paths.ts';
import { SANDBOX_TENANTS, SANDBOX_USERS } from './sandbox.ts';

export const SANDBOX_TENANT_NAMES = Object.keys(SANDBOX_TENANTS);

export interface SandboxTokenRequest {
  /** A tenant GUID or a sandbox name (contoso, fabrikam, …). */
  tenant: string;
  role?: Role;
  user?: string;
  expiresInSeconds?: number;
  /** Default: the local cloud's key (.local-cloud/signing-key.json, or under LOCAL_CLOUD_HOME). */
  signingKeyFile?: string;
}

export interface SandboxToken {
  token: string;
  tenantId: string;
  userId: string;
  role: Role;
}

/** The tenant GUID a sandbox name or GUID stands for, or undefined when it is neither. */
export function sandboxTenantId(tenant: string): string | undefined {
  const tenantId = SANDBOX_TENANTS[tenant.toLowerCase() as keyof typeof SANDBOX_TENANTS] ?? tenant;
  return z.uuid().safeParse(tenantId).success ? tenantId : undefined;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export async function mintSandboxToken(request: SandboxTokenRequest): Promise<SandboxToken> {
  const tenantId = sandboxTenantId(request.tenant);
  if (!tenantId) {
    throw new Error(`--tenant must be a tenant GUID or one of: ${SANDBOX_TENANT_NAMES.join(', ')}`);
  }
  const role = request.role ?? 'AdminAgent';
  const sandboxUser = SANDBOX_USERS.find((user) => user.tenantId === tenantId && user.role === role);
  const userId = request.user ?? sandboxUser?.userId ?? `${role.toLowerCase()}@${tenantId}`;
  const identity = await loadLocalIdentity(request.signingKeyFile ?? signingKeyFile());
  const token = await identity.signToken({
    tenantId,
    userId,
    roles: [role],
    expiresInSeconds: request.expiresInSeconds ?? 12 * 3600,
  });
  return { token, tenantId, userId, role };
}
