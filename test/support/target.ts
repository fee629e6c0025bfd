// Where the HTTP end-to-end tests send their requests: the embedded local cloud (default), or a deployed stack
// (LocalStack or AWS) when E2E_API_URL is set. It has the parts of TestCloud that e2e tests use (`urls.api`,
// `tokenFor`, `storage`, `stop`), so a test written against one runs against the other.
//
// Deployed stack:
//   E2E_API_URL                  the stack output ApiUrl (routes are appended: `${urls.api}/v1/...`)
//   E2E_CONSOLE_URL              the stack output ConsoleUrl: emails must link to its transfer pages
//   E2E_MAIL_URL                 LocalStack's sent-mail endpoint (http://localhost:4566/_aws/ses) for email checks
//   E2E_TABLE_NAME               the stack output TableName, for tests that seed or inspect the table directly
//                                (the AWS SDK's usual credentials and endpoint variables apply)
//   tokens, the first that applies:
//   E2E_TOKEN_<TENANT>_<ROLE>    a token for that tenant and role; TENANT is a sandbox name (CONTOSO) or the tenant
//                                id in upper case with '-' as '_'; ROLE in upper case (ADMINAGENT)
//   E2E_TOKEN_<TENANT>           a token for that tenant, whatever role is asked
//   E2E_TOKEN_COMMAND            a shell command printing a token; {tenant}, {role} and {user} are replaced
//   E2E_SIGN_WITH_LOCAL_KEY=1    sign with the local signing key (.local-cloud/, LOCAL_CLOUD_HOME): what a
//                                LocalStack stack from `npm run deploy:localstack` trusts
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { Storage } from '#application/ports.ts';
import type { Role } from '#domain/model.ts';
import { loadLocalIdentity } from '#local/identity.ts';
import type { LocalCloudOptions } from '#local/local-cloud.ts';
import { signingKeyFile } from '#local/paths.ts';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';
import { startTestCloud, type TestCloud } from './local-cloud.ts';
import { localSesMail, localStackMail, type SentMailReader } from './sent-mail.ts';

const run = promisify(exec);

export interface E2eTarget {
  kind: 'local' | 'deployed';
  /** `console`: where emails link to (the local console, or E2E_CONSOLE_URL). */
  urls: { api: string; console?: string };
  tokenFor(tenantId: string, role?: Role, userId?: string): Promise<string>;
  /** The target's table; on a deployed stack only with E2E_TABLE_NAME (using it otherwise throws). */
  storage: Storage;
  /** The mail the target sent; absent on AWS (no readable mailbox) unless E2E_MAIL_URL names one. */
  sentMail?: SentMailReader;
  /** The embedded local cloud, for tests that need more than HTTP (mail page, Step Functions); local only. */
  localCloud?: TestCloud;
  stop(): Promise<void>;
}

/** True when the e2e tests should run against a deployed stack. */
export const deployedTargetConfigured = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.E2E_API_URL);

const sandboxNameOf = (tenantId: string) =>
  Object.entries(SANDBOX_TENANTS).find(([, id]) => id === tenantId)?.[0];

/** The E2E_TOKEN_* names tried for a tenant and role, most specific first. */
export function tokenVariableNames(tenantId: string, role: Role): string[] {
  const tenantKeys = [sandboxNameOf(tenantId), tenantId]
    .filter((key): key is string => Boolean(key))
    .map((key) => key.toUpperCase().replace(/[^A-Z0-9]/g, '_'));
  return [
    ...tenantKeys.map((key) => `E2E_TOKEN_${key}_${role.toUpperCase()}`),
    ...tenantKeys.map((key) => `E2E_TOKEN_${key}`),
  ];
}

function deployedTokenSource(env: NodeJS.ProcessEnv) {
  let localKey: ReturnType<typeof loadLocalIdentity> | undefined;
  return async (tenantId: string, role: Role = 'AdminAgent', userId = `${role}-user`): Promise<string> => {
    for (const name of tokenVariableNames(tenantId, role)) {
      const token = env[name];
      if (token) return token;
    }
    if (env.E2E_TOKEN_COMMAND) {
      const command = env.E2E_TOKEN_COMMAND.replaceAll('{tenant}', tenantId)
        .replaceAll('{role}', role)
        .replaceAll('{user}', userId);
      const { stdout } = await run(command, { env, timeout: 30_000 });
      const token = stdout.trim().split('\n').at(-1)?.trim();
      if (!token) throw new Error(`E2E_TOKEN_COMMAND printed no token for ${tenantId} ${role}`);
      return token;
    }
    if (env.E2E_SIGN_WITH_LOCAL_KEY === '1' || env.E2E_SIGN_WITH_LOCAL_KEY === 'true') {
      localKey ??= loadLocalIdentity(signingKeyFile(env));
      return (await localKey).signToken({ tenantId, userId, roles: [role] });
    }
    throw new Error(
      `No token for tenant ${tenantId} as ${role}: set ${tokenVariableNames(tenantId, role)[0]}, ` +
        'E2E_TOKEN_COMMAND or E2E_SIGN_WITH_LOCAL_KEY=1',
    );
  };
}

function storageWithout(reason: string): Storage {
  return new Proxy({} as Storage, {
    get() {
      throw new Error(reason);
    },
  });
}

/** The deployed stack named by the environment (E2E_API_URL...), or undefined when none is configured. */
export function deployedTarget(env: NodeJS.ProcessEnv = process.env): E2eTarget | undefined {
  if (!deployedTargetConfigured(env)) return undefined;
  const api = (env.E2E_API_URL ?? '').replace(/\/+$/, '');
  return {
    kind: 'deployed',
    urls: { api, ...(env.E2E_CONSOLE_URL ? { console: env.E2E_CONSOLE_URL.replace(/\/+$/, '') } : {}) },
    tokenFor: deployedTokenSource(env),
    storage: env.E2E_TABLE_NAME
      ? createDynamoDbStorage({ tableName: env.E2E_TABLE_NAME })
      : storageWithout(
          'This test reads or writes the table directly: set E2E_TABLE_NAME (stack output TableName)',
        ),
    ...(env.E2E_MAIL_URL ? { sentMail: localStackMail(env.E2E_MAIL_URL) } : {}),
    stop: async () => undefined,
  };
}

/** The target for an e2e test file: the deployed stack if E2E_API_URL is set, else a fresh local cloud. */
export async function startE2eTarget(
  localOverrides: Partial<LocalCloudOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<E2eTarget> {
  const deployed = deployedTarget(env);
  if (deployed) return deployed;
  const cloud = await startTestCloud(localOverrides);
  return {
    kind: 'local',
    urls: { api: cloud.urls.api, console: cloud.urls.console },
    tokenFor: cloud.tokenFor,
    storage: cloud.storage,
    sentMail: localSesMail(cloud.urls.ses),
    localCloud: cloud,
    stop: () => cloud.stop(),
  };
}
