// login, logout, whoami: where the API is and who you are there.
import type { Command } from 'commander';
import { runAction } from '../cli-action.ts';
import { configFile, removeConfig, type StoredAuth, writeConfig } from '../config-store.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { mintSandboxAuth } from '../sandbox-login.ts';
import { clientFor, loadSession, runTokenCommand } from '../session.ts';

interface LoginOptions {
  apiUrl: string;
  token?: string;
  tokenCommand?: string;
  tenant?: string;
  role: string;
  user?: string;
  signingKey?: string;
}

async function authFrom(options: LoginOptions): Promise<StoredAuth> {
  const ways = [options.token, options.tokenCommand, options.tenant].filter((way) => way !== undefined);
  if (ways.length !== 1) {
    throw new CliError(
      'Sign in with exactly one of: --token <token>, --token-command "<command that prints a token>", ' +
        'or (local cloud) --tenant <sandbox name or GUID> [--role AdminAgent].',
      EXIT.usage,
    );
  }
  if (options.token) return { kind: 'token', token: options.token };
  if (options.tokenCommand) {
    await runTokenCommand(options.tokenCommand); // fail now rather than on the first command
    return { kind: 'command', command: options.tokenCommand };
  }
  return mintSandboxAuth({
    tenant: options.tenant ?? '',
    role: options.role,
    ...(options.user ? { user: options.user } : {}),
    ...(options.signingKey ? { signingKeyFile: options.signingKey } : {}),
  });
}

export function registerAuthCommands(program: Command): void {
  program
    .command('login')
    .description('Store the API URL and how to get a token (in your config directory, readable by you only)')
    .option(
      '--api-url <url>',
      'the API root, without /v1',
      process.env.PARTNER_TRANSFERS_API_URL ?? 'http://127.0.0.1:4710',
    )
    .option('--token <token>', 'a bearer token')
    .option(
      '--token-command <command>',
      'a shell command that prints a bearer token (run again when it expires)',
    )
    .option(
      '--tenant <tenant>',
      'local cloud: mint a sandbox token for this tenant (name such as fabrikam, or GUID)',
    )
    .option('--role <role>', 'local cloud: AdminAgent, SalesAgent or HelpdeskAgent', 'AdminAgent')
    .option('--user <user>', 'local cloud: the user id in the token')
    .option(
      '--signing-key <file>',
      'local cloud: the signing key file (default: the checkout’s .local-cloud)',
    )
    .action((_options, command: Command) =>
      runAction(command, async (output) => {
        const options = command.opts<LoginOptions>();
        const config = { apiUrl: options.apiUrl.replace(/\/+$/, ''), auth: await authFrom(options) };
        const partner = await clientFor(config).getPartner();
        const file = await writeConfig(config);
        output.result(
          {
            apiUrl: config.apiUrl,
            tenantId: partner.tenantId,
            partner: partner.name,
            caller: partner.caller,
            configFile: file,
          },
          () =>
            [
              `${output.colors.green('✔')} Signed in to ${config.apiUrl} as ${partner.caller.userId} (${partner.caller.roles.join(', ')})`,
              `  partner ${partner.name} ${output.colors.dim(partner.tenantId)}`,
              output.colors.dim(`  saved in ${file}`),
            ].join('\n'),
        );
        return EXIT.ok;
      }),
    );

  program
    .command('logout')
    .description('Forget the stored login')
    .action((_options, command: Command) =>
      runAction(command, async (output) => {
        const removed = await removeConfig();
        output.result({ removed, configFile: configFile() }, () =>
          removed ? `Signed out (removed ${configFile()}).` : 'Not signed in.',
        );
        return EXIT.ok;
      }),
    );

  program
    .command('whoami')
    .description('Who the stored login is: partner, user, roles, API')
    .action((_options, command: Command) =>
      runAction(command, async (output) => {
        const session = await loadSession();
        const partner = await clientFor(session).getPartner();
        output.result({ apiUrl: session.apiUrl, ...partner }, () =>
          [
            `${partner.caller.userId} (${partner.caller.roles.join(', ')})`,
            `partner  ${partner.name} (${partner.kind}) ${output.colors.dim(partner.tenantId)}`,
            `api      ${session.apiUrl}`,
          ].join('\n'),
        );
        return EXIT.ok;
      }),
    );
}
