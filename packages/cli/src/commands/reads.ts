// eligibility and audit: what can move, and what happened.
import type { Command } from 'commander';
import { runAction } from '../cli-action.ts';
import { EXIT } from '../exit-codes.ts';
import { positiveInteger } from '../option-parsers.ts';
import { table } from '../output.ts';
import { signedInClient } from '../session.ts';

export function registerReadCommands(program: Command): void {
  program
    .command('eligibility')
    .description('Which subscriptions of a customer (that you bill) can be transferred, and why not')
    .argument('<customer>', 'the customer tenant id')
    .option('--product-types <types>', 'judge as for a transfer limited to these types (comma-separated)')
    .action((customer: string, _options, command: Command) =>
      runAction(command, async (output) => {
        const { productTypes } = command.opts<{ productTypes?: string }>();
        const client = await signedInClient();
        const entries = await client
          .listEligibility(customer, productTypes ? { targetProductTypes: productTypes.split(',') } : {})
          .toArray();
        output.result(entries, () =>
          table(
            ['SUBSCRIPTION', 'NAME', 'TYPE', 'QTY', 'ELIGIBLE', 'WHY NOT'],
            entries.map((entry) => [
              entry.subscriptionId,
              entry.friendlyName,
              entry.productType,
              String(entry.quantity),
              entry.eligible ? output.colors.green('yes') : output.colors.red('no'),
              entry.errors.map((error) => `${error.code}: ${error.description}`).join('; '),
            ]),
            output,
          ),
        );
        return EXIT.ok;
      }),
    );

  program
    .command('audit')
    .description("Your partner's audit log, newest first")
    .option('--from <time>', 'from this ISO 8601 date-time (inclusive)')
    .option('--to <time>', 'up to this ISO 8601 date-time (inclusive)')
    .option('--transfer <id>', 'only the entries of this transfer')
    .option('--limit <n>', 'at most this many entries', positiveInteger, 100)
    .action((_options, command: Command) =>
      runAction(command, async (output) => {
        const options = command.opts<{ from?: string; to?: string; transfer?: string; limit: number }>();
        const client = await signedInClient();
        const records = await client
          .listAuditRecords({
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
            ...(options.transfer ? { transferId: options.transfer } : {}),
          })
          .toArray(options.limit);
        output.result(records, () =>
          table(
            ['AT', 'OPERATION', 'TRANSFER', 'CUSTOMER', 'ACTOR'],
            records.map((record) => [
              record.at.replace('T', ' ').slice(0, 19),
              record.operation,
              record.transferId,
              record.customerId,
              record.actor,
            ]),
            output,
          ),
        );
        return EXIT.ok;
      }),
    );
}
