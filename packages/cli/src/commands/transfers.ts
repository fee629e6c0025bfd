// transfers list | show | create | accept | cancel | watch (create and accept also in bulk with --from-file).
import type {
  CreateTransferRequest,
  PartnerTransfersClient,
  Transfer,
  TransferStatus,
  TransferSummary,
} from '@partner-transfers/client';
import type { Command } from 'commander';
import { runBulkAccept, runBulkCreate } from '../bulk/bulk-commands.ts';
import { runAction } from '../cli-action.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { chooseSubscriptions } from '../interactive-accept.ts';
import { customerOfTransfer } from '../locate-transfer.ts';
import { collect, positiveInteger } from '../option-parsers.ts';
import type { Output } from '../output.ts';
import { signedInClient } from '../session.ts';
import { transferDetail, transferListing } from '../transfer-views.ts';
import { watchTransfer } from '../watch-transfer.ts';

interface ListOptions {
  incoming?: boolean;
  outgoing?: boolean;
  customer?: string;
  status?: string[];
  limit: number;
}

async function listTransfers(client: PartnerTransfersClient, options: ListOptions) {
  const status = options.status as TransferStatus[] | undefined;
  const filter = status?.length ? { status } : {};
  if (options.customer) return client.listCustomerTransfers(options.customer, filter).toArray(options.limit);
  const directions =
    options.incoming === options.outgoing
      ? (['incoming', 'outgoing'] as const)
      : options.incoming
        ? (['incoming'] as const)
        : (['outgoing'] as const);
  const listed: (TransferSummary & { direction: string })[] = [];
  for (const direction of directions) {
    for (const transfer of await client.listTransfers({ direction, ...filter }).toArray(options.limit)) {
      listed.push({ ...transfer, direction });
    }
  }
  return listed.sort((a, b) => b.createdTime.localeCompare(a.createdTime)).slice(0, options.limit);
}

function nextStep(output: Output, line: string): void {
  output.note(output.colors.dim(line));
}

export function registerTransferCommands(program: Command): void {
  const transfers = program
    .command('transfers')
    .description('Create, accept, cancel, follow and list transfers');

  transfers
    .command('list')
    .description(
      'Your transfers: incoming (you are the source) and outgoing (you are the target), newest first',
    )
    .option('--incoming', 'only transfers waiting for (or accepted by) you as source')
    .option('--outgoing', 'only transfers you created as target')
    .option('--customer <id>', "only this customer's transfers")
    .option('--status <status>', 'only these statuses (repeatable or comma-separated)', collect)
    .option('--limit <n>', 'at most this many', positiveInteger, 50)
    .action((_options, command: Command) =>
      runAction(command, async (output) => {
        const listed = await listTransfers(await signedInClient(), command.opts<ListOptions>());
        output.result(listed, () => transferListing(listed, output));
        return EXIT.ok;
      }),
    );

  oneTransferCommand(
    transfers,
    'show',
    'One transfer with its line items and progress',
    'inbox and outbox',
    (client, customer, id) => client.getTransfer(customer, id),
  );

  transfers
    .command('create')
    .description('Target admin: ask the partner that bills a customer to transfer its subscriptions to you')
    .option('--customer <id>', 'the customer tenant id')
    .option('--source <tenant>', 'the tenant id of the partner that bills the customer today')
    .option('--source-name <name>', 'that partner’s name (shown in the emails)')
    .option('--customer-email <email>', 'the customer contact to notify')
    .option('--customer-name <name>', 'the customer’s name')
    .option('--product-types <types>', 'limit to these product types (comma-separated)')
    .option('--request-id <guid>', 'MS-RequestId: the same id never creates twice (default: a new one)')
    .option(
      '--from-file <csv>',
      'bulk: one transfer per row (customerId,sourcePartnerTenantId,sourcePartnerName,customerEmailId[,customerName])',
    )
    .option('--concurrency <n>', 'bulk: rows in flight at once', positiveInteger, 4)
    .option('--report <file>', 'bulk: also write the JSON report to this file')
    .action((_options, command: Command) =>
      runAction(command, async (output) => {
        const options = command.opts<{
          customer?: string;
          source?: string;
          sourceName?: string;
          customerEmail?: string;
          customerName?: string;
          productTypes?: string;
          requestId?: string;
          fromFile?: string;
          concurrency: number;
          report?: string;
        }>();
        const client = await signedInClient();
        if (options.fromFile) return runBulkCreate(client, options.fromFile, options, output);
        const missing = (
          [
            ['--customer', options.customer],
            ['--source', options.source],
            ['--source-name', options.sourceName],
            ['--customer-email', options.customerEmail],
          ] as const
        )
          .filter(([, value]) => !value)
          .map(([name]) => name);
        if (missing.length > 0)
          throw new CliError(
            `transfers create needs ${missing.join(', ')} (or --from-file <csv>).`,
            EXIT.usage,
          );
        const transfer = await client.createTransfer(
          options.customer ?? '',
          {
            sourcePartnerTenantId: options.source ?? '',
            sourcePartnerName: options.sourceName ?? '',
            customerEmailId: options.customerEmail ?? '',
            ...(options.customerName ? { customerName: options.customerName } : {}),
            ...(options.productTypes
              ? {
                  targetProductTypes: options.productTypes.split(
                    ',',
                  ) as CreateTransferRequest['targetProductTypes'],
                }
              : {}),
          },
          options.requestId ? { requestId: options.requestId } : {},
        );
        output.result(transfer, () => transferDetail(transfer, output));
        nextStep(
          output,
          `The source partner accepts with: partner-transfers transfers accept ${transfer.id}`,
        );
        return EXIT.ok;
      }),
    );

  transfers
    .command('accept')
    .description('Source admin: choose the subscriptions to move and accept (a checklist on a terminal)')
    .argument('[id]', 'the transfer id (omit with --from-file)')
    .option('--customer <id>', 'its customer (found from your inbox when omitted)')
    .option('--subscription <id>', 'a subscription to move (repeatable or comma-separated)', collect)
    .option('--all-eligible', 'move every eligible subscription')
    .option('--request-id <guid>', 'MS-RequestId: the same id never accepts twice (default: a new one)')
    .option(
      '--from-file <csv>',
      'bulk: one transfer per row (transferId[,customerId][,subscriptionIds separated by ;]); empty subscriptionIds: all eligible',
    )
    .option('--concurrency <n>', 'bulk: rows in flight at once', positiveInteger, 4)
    .option('--report <file>', 'bulk: also write the JSON report to this file')
    .action((id: string | undefined, _options, command: Command) =>
      runAction(command, async (output) => {
        const options = command.opts<{
          customer?: string;
          subscription?: string[];
          allEligible?: boolean;
          requestId?: string;
          fromFile?: string;
          concurrency: number;
          report?: string;
        }>();
        const client = await signedInClient();
        if (options.fromFile) return runBulkAccept(client, options.fromFile, options, output);
        if (!id)
          throw new CliError('transfers accept needs a transfer id (or --from-file <csv>).', EXIT.usage);
        const customer = await customerOfTransfer(client, id, options.customer);
        const subscriptionIds = await chooseSubscriptions(client, customer, id, options, output);
        const transfer = await client.acceptTransfer(
          customer,
          id,
          subscriptionIds,
          options.requestId ? { requestId: options.requestId } : {},
        );
        output.result(transfer, () => transferDetail(transfer, output));
        nextStep(output, `Follow it with: partner-transfers transfers watch ${transfer.id}`);
        return EXIT.ok;
      }),
    );

  oneTransferCommand(
    transfers,
    'cancel',
    'Target admin: cancel a transfer that is still Active',
    'outbox',
    (client, customer, id) => client.cancelTransfer(customer, id),
  );

  transfers
    .command('watch')
    .description('Follow a transfer until it ends: exit 0 when Complete, 6 otherwise')
    .argument('<id>', 'the transfer id')
    .option('--customer <id>', 'its customer (found from your inbox and outbox when omitted)')
    .option('--interval <ms>', 'first poll interval in milliseconds', positiveInteger, 1000)
    .action((id: string, _options, command: Command) =>
      runAction(command, async (output) => {
        const options = command.opts<{ customer?: string; interval: number }>();
        const client = await signedInClient();
        const customer = await customerOfTransfer(client, id, options.customer);
        const transfer = await watchTransfer(client, customer, id, options.interval, output);
        output.result(transfer, () => transferDetail(transfer, output));
        return transfer.status === 'Complete' ? EXIT.ok : EXIT.notComplete;
      }),
    );
}

/** A command that acts on one transfer by id and prints it: the customer is looked up when not given. */
function oneTransferCommand(
  transfers: Command,
  name: string,
  description: string,
  searchedIn: string,
  act: (client: PartnerTransfersClient, customer: string, id: string) => Promise<Transfer>,
): void {
  transfers
    .command(name)
    .description(description)
    .argument('<id>', 'the transfer id')
    .option('--customer <id>', `its customer (found from your ${searchedIn} when omitted)`)
    .action((id: string, _options, command: Command) =>
      runAction(command, async (output) => {
        const client = await signedInClient();
        const customer = await customerOfTransfer(client, id, command.opts<{ customer?: string }>().customer);
        const transfer = await act(client, customer, id);
        output.result(transfer, () => transferDetail(transfer, output));
        return EXIT.ok;
      }),
    );
}
