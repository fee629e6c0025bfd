// Operator commands (`partner-transfers ops <command>`, or `npm run ops -- <command>` from a checkout): for the team
// that runs the service, with AWS credentials (the standard SDK chain), never partner tokens. TABLE_NAME and
// STATE_MACHINE_ARN name the deployment (stack outputs); `--local` points at `npm start`'s default ports.
// See docs/runbook.md. The CLI loads this module from the service's checkout: it needs the storage adapters.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { backupLineOf, exportTable, itemOfBackupLine, restoreTable } from '#adapters/table-backup.ts';
import { operationsDependenciesFromEnvironment } from '#operations/dependencies.ts';
import { findStuckTransfers } from '#operations/find-stuck-transfers.ts';
import { inspectTransfer } from '#operations/inspect-transfer.ts';
import {
  expireTransferNow,
  type OperatorOutcome,
  redriveTransfer,
  retryFailedLineItems,
} from '#operations/operator-actions.ts';
import { reconcile } from '#operations/reconcile.ts';
import { resumeOpenTransfers } from '#operations/resume-open-transfers.ts';
import { transferWebhookActivityFromEnvironment } from '#webhooks/storage-wiring.ts';

const USAGE = `Usage: partner-transfers ops <command> [options]   (or: npm run ops -- <command> [options])
  stuck                                  what the reconciler would repair now (read-only)
  inspect <customerId>/<transferId>      stored state, workflow runs, line items, emails, webhook deliveries
  redrive <customerId>/<transferId>      start the next workflow run from where the transfer stands
  retry-failed <customerId>/<transferId> retry the failed line items of a CompletedWithErrors transfer
  expire <customerId>/<transferId>       expire an Active transfer past its acceptance window
  reconcile                              one reconciler run now
  export <file>                          every item of the table to a JSON-lines file (the backup drill)
  restore <file>                         puts the file's items back, then starts the open transfers' workflows
Options: --local (the local cloud's default ports), --json, --help
Exit codes: 0 done (or nothing to do), 1 failed, 2 usage, 4 refused by the domain rules (the code is printed),
  8 reconcile: some transfers need an operator
Environment: TABLE_NAME, STATE_MACHINE_ARN, AWS credentials and region (AWS_ENDPOINT_URL_* for emulators)`;

const TRANSFER_COMMANDS = ['inspect', 'redrive', 'retry-failed', 'expire'];
const FILE_COMMANDS = ['export', 'restore'];
const COMMANDS = ['stuck', 'reconcile', ...TRANSFER_COMMANDS, ...FILE_COMMANDS];

const LOCAL_DEFAULTS = {
  TABLE_NAME: 'partner-transfers',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:partner-transfers-transfer',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4711',
  AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:4713',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
};

function transferKey(argument: string | undefined) {
  const [customerId, transferId, ...rest] = (argument ?? '').split('/');
  if (!customerId || !transferId || rest.length > 0) {
    throw new UsageError(
      'Name the transfer as <customerId>/<transferId> (both are in the API and the alarm log).',
    );
  }
  return { customerId, transferId };
}

class UsageError extends Error {}

const tableName = () => process.env.TABLE_NAME ?? '';
const documentClient = () => createDynamoDbDocumentClient();

/** The file's items, one JSON object a line; a line that is not one stops the restore before anything is written. */
async function* itemsOf(file: string): AsyncGenerator<Record<string, unknown>> {
  let lineNumber = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let item: Record<string, unknown> | undefined;
    try {
      item = itemOfBackupLine(JSON.parse(line));
    } catch {
      item = undefined;
    }
    if (item === undefined) {
      throw new UsageError(`${file}:${lineNumber} is not a table item (a JSON object with PK and SK).`);
    }
    yield item;
  }
}

function dependenciesOrExplain() {
  try {
    return operationsDependenciesFromEnvironment();
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : error}. Set them to the deployed stack's outputs, or add --local ` +
        'to use the local cloud of `npm start`.',
    );
  }
}

/** The same numbers as the CLI's exit codes (packages/cli/src/exit-codes.ts) for the same outcomes. */
const OPS_EXIT = { ok: 0, failed: 1, usage: 2, refused: 4, needsOperator: 8 } as const;

function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ');
  return [line(columns), ...rows.map((row) => line(columns.map((column) => String(row[column]))))].join('\n');
}

function printOutcome(outcome: OperatorOutcome): number {
  if (!outcome.ok) {
    console.error(`Refused (${outcome.refusal.code}): ${outcome.refusal.description}`);
    return OPS_EXIT.refused;
  }
  console.log(outcome.changed ? `Done: ${outcome.detail}.` : `Nothing to do: ${outcome.detail}.`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { local: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? OPS_EXIT.ok : OPS_EXIT.usage;
  }
  if (values.local) for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) process.env[name] ??= value;
  const actor = `operator:${userInfo().username}`;
  // Arguments are checked before the configuration, so a typo is reported as such wherever it is run.
  if (!COMMANDS.includes(command)) throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  const key = TRANSFER_COMMANDS.includes(command) ? transferKey(target) : undefined;
  if (FILE_COMMANDS.includes(command) && !target)
    throw new UsageError(`Name the file: ops ${command} <file>.`);
  if (command === 'restore' && !existsSync(target ?? '')) throw new UsageError(`No file ${target}.`);
  const deps = dependenciesOrExplain();
  const named = () => key ?? transferKey(target);
  const print = (value: unknown, text: () => string) =>
    console.log(values.json ? JSON.stringify(value, null, 2) : text());
  switch (command) {
    case 'stuck': {
      const { checked, stuck } = await findStuckTransfers(deps);
      const rows = stuck.map(({ transfer, diagnosis }) => ({
        transfer: `${transfer.customerTenantId}/${transfer.id}`,
        status: transfer.status,
        run: transfer.workflowRun,
        reason: diagnosis.reason,
        repair: diagnosis.unrepairable ? 'operator' : diagnosis.repair,
        detail: diagnosis.unrepairable ?? diagnosis.detail,
      }));
      print(
        { checked, stuck: rows },
        () => `${table(rows)}\n${stuck.length} stuck of ${checked} open transfer(s).`,
      );
      return 0;
    }
    case 'inspect': {
      const report = await inspectTransfer(deps, named(), transferWebhookActivityFromEnvironment());
      if (!report) {
        console.error(`Not found: no transfer ${target} in table ${process.env.TABLE_NAME}.`);
        return OPS_EXIT.refused;
      }
      print(report, () => report.text);
      return 0;
    }
    case 'redrive':
      return printOutcome(await redriveTransfer(deps, named(), actor));
    case 'retry-failed':
      return printOutcome(await retryFailedLineItems(deps, named(), actor));
    case 'expire':
      return printOutcome(await expireTransferNow(deps, named(), actor));
    case 'reconcile': {
      const report = await reconcile(deps);
      print(report, () =>
        [
          `Checked ${report.checked} open transfer(s): ${report.repaired.length} repaired, ${report.unrepairable.length} need an operator.`,
          ...report.repaired.map(
            (entry) => `  repaired ${entry.customerId}/${entry.transferId}: ${entry.detail}`,
          ),
          ...report.unrepairable.map(
            (entry) => `  NEEDS AN OPERATOR ${entry.customerId}/${entry.transferId}: ${entry.problem}`,
          ),
        ].join('\n'),
      );
      return report.unrepairable.length > 0 ? OPS_EXIT.needsOperator : OPS_EXIT.ok;
    }
    case 'export': {
      const file = createWriteStream(target ?? '');
      const count = await exportTable(documentClient(), tableName(), (item) => {
        file.write(`${backupLineOf(item)}\n`);
      });
      await new Promise<void>((resolve, reject) =>
        file.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      print(
        { exported: count, table: tableName(), file: target },
        () => `Exported ${count} item(s) of ${tableName()} to ${target}.`,
      );
      return OPS_EXIT.ok;
    }
    case 'restore': {
      // A first pass checks every line, so a damaged file is refused before anything is written.
      for await (const _item of itemsOf(target ?? '')) {
        // validating only
      }
      const restored = await restoreTable(documentClient(), tableName(), itemsOf(target ?? ''));
      const resumed = await resumeOpenTransfers(deps, { log: (line) => console.error(line) });
      print(
        { restored, resumed, table: tableName() },
        () =>
          `Restored ${restored} item(s) into ${tableName()}; started the workflow of ${resumed} open transfer(s).`,
      );
      return OPS_EXIT.ok;
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

/** Runs one operator command and resolves its exit code (the CLI's codes: see OPS_EXIT). */
export function runOps(argv: string[]): Promise<number> {
  return main(argv).catch((error: unknown) => {
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(error.message);
      return OPS_EXIT.usage;
    }
    console.error(`Failed: ${error instanceof Error ? error.message : error}`);
    return OPS_EXIT.failed;
  });
}

const isParseArgsError = (error: unknown): error is Error =>
  error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runOps(process.argv.slice(2));
}
