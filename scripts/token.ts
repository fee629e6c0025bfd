// `npm run token -- --tenant <id|sandbox name> --role AdminAgent`: prints a bearer token for the local cloud.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '#domain/model.ts';
import { mintSandboxToken, SANDBOX_TENANT_NAMES } from '#local/sandbox-token.ts';

const USAGE = `Usage: npm run token -- --tenant <tenant id or sandbox name> [--role AdminAgent|SalesAgent|HelpdeskAgent]
                      [--user <user id>] [--expires-in <seconds>]
Sandbox names: ${SANDBOX_TENANT_NAMES.join(', ')}`;

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
  try {
    const minted = await mintSandboxToken({ tenant, role, user, expiresInSeconds: expiresIn });
    console.log(minted.token);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}

await main();
