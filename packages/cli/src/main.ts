// partner-transfers: the command line of the partner-transfers API, on top of @partner-transfers/client.
import { Command, CommanderError } from 'commander';
import { registerAuthCommands } from './commands/auth.ts';
import { registerOpsCommands } from './commands/ops.ts';
import { registerReadCommands } from './commands/reads.ts';
import { registerTransferCommands } from './commands/transfers.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';

const program = new Command('partner-transfers')
  .description('Partner-to-partner transfers of customer subscriptions, from a terminal or a script.')
  .version('0.1.0')
  .option('--json', 'machine-readable output on stdout (errors too, as {"error": …})')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Start with:
  partner-transfers login --api-url http://127.0.0.1:4710 --tenant fabrikam    (local cloud: a sandbox token)
  partner-transfers login --api-url https://… --token-command "my-idp token"   (anywhere else)
  partner-transfers transfers list

${EXIT_CODES_HELP}`,
  );

registerAuthCommands(program);
registerTransferCommands(program);
registerReadCommands(program);
registerOpsCommands(program);

// Usage errors exit 2 (commander's own default is 1, which scripts could not tell from a failure).
program.exitOverride();
for (const command of program.commands.flatMap((command) => [command, ...command.commands]))
  command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
}
