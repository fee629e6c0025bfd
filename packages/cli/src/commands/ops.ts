// `partner-transfers ops …`: the operator commands (stuck, inspect, redrive, retry-failed, expire, reconcile) for the
// team that runs the service. They use AWS credentials and the service's own storage adapters, not the partner API,
// so they run from a checkout of partner-transfers, where this package lives under packages/cli.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes.ts';

/** scripts/ops.ts of the checkout this package sits in (packages/cli/src/commands -> the repository root). */
const OPERATIONS_RUNNER = new URL('../../../../scripts/ops.ts', import.meta.url);

interface OperationsRunner {
  runOps(argv: string[]): Promise<number>;
}

async function loadRunner(): Promise<OperationsRunner> {
  if (!existsSync(fileURLToPath(OPERATIONS_RUNNER))) {
    throw new CliError(
      'The ops commands run from a checkout of partner-transfers (they use its storage adapters and AWS ' +
        'credentials): run `npx partner-transfers ops …` inside the checkout.',
      EXIT.usage,
    );
  }
  return (await import(OPERATIONS_RUNNER.href)) as OperationsRunner;
}

export function registerOpsCommands(program: Command): void {
  program
    .command('ops')
    .description(
      'Operator commands (AWS credentials, not partner tokens): stuck, inspect, redrive, retry-failed, expire, reconcile',
    )
    .argument('[command...]', 'the operator command and its arguments (ops --help lists them)')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[], _options, command: Command) => {
      const json = command.parent?.opts<{ json?: boolean }>().json === true;
      try {
        const runner = await loadRunner();
        const argv = args.length === 0 ? ['--help'] : args;
        process.exitCode = await runner.runOps(json ? [...argv, '--json'] : argv);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        console.error(error.message);
        process.exitCode = error.exitCode;
      }
    });
}
