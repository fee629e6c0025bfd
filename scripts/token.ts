// `npm run token -- --tenant <id|sandbox name> --role AdminAgent`: prints a bearer token for the local cloud.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '#domain/model.ts';
import { loadLocalIdentity } from '#local/identity.ts';
import { signingKeyFile } from '#local/paths.ts';
import { SANDBOX_TENANTS, SANDBOX_USERS } from '#local/sandbox.ts';

const USAGE = `Usage: npm run token -- --tenant <tenant id or sandbox name> [--role AdminAgent|SalesAgent|HelpdeskAgent]
                      [--user <user id>] [--expires-in <seconds>]
Sandbox names: ${Object.keys(SANDBOX_TENANTS).join(', ')}`;

const OPTIONS = z.object({
  tenant: z.string().min(1),
  role: z.enum(ROLES).default('AdminAgent'),
  user: z.string().min(1).optional(),
  expiresIn: z.coerce
    .number()
    .int()
    .default(12 * 3600),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string' },
      user: { type: 'string' },
      'expires-in': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const parsed = OPTIONS.safeParse({ ...values, expiresIn: values['expires-in'] });
  if (!parsed.success) {
    console.error(
      parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const { tenant, role, user, expiresIn } = parsed.data;
  const tenantId = SANDBOX_TENANTS[tenant as keyof typeof SANDBOX_TENANTS] ?? tenant;
  if (!z.uuid().safeParse(tenantId).success) {
    console.error(`--tenant must be a tenant GUID or one of: ${Object.keys(SANDBOX_TENANTS).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const sandboxUser = SANDBOX_USERS.find(
    (candidate) => candidate.tenantId === tenantId && candidate.role === role,
  );
  const identity = await loadLocalIdentity(signingKeyFile());
  const token = await identity.signToken({
    tenantId,
    userId: user ?? sandboxUser?.userId ?? `${role.toLowerCase()}@${tenantId}`,
    roles: [role],
    expiresInSeconds: expiresIn,
  });
  console.log(token);
}

await main();
