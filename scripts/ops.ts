// Operator commands (`npm run ops -- <command>`): for the team that runs the service, with AWS credentials (the
// standard SDK chain), never partner tokens. TABLE_NAME and STATE_MACHINE_ARN name the deployment (stack outputs);
// `--local` points at `npm start`'s default ports. See docs/runbook.md.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
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

const USAGE = `Usage: npm run ops -- <command> [options]
  stuck                                  what the reconciler would repair now (read-only)
  inspect <customerId>/<transferId>      stored state, workflow runs, line items, emails
  redrive <customerId>/<transferId>      start the next workflow run from where the transfer stands
  retry-failed <customerId>/<transferId> retry the failed line items of a CompletedWithErrors transfer
  expire <customerId>/<transferId>       expire an Active transfer past its acceptance window
  reconcile                              one reconciler run now
Options: --local (the local cloud's default ports), --json, --help
Environment: TABLE_NAME, STATE_MACHINE_ARN, AWS credentials and region (AWS_ENDPOINT_URL_* for emulators)`;

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
    return 2;
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
    return values.help ? 0 : 1;
  }
  if (values.local) for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) process.env[name] ??= value;
  const actor = `operator:${userInfo().username}`;
  const deps = operationsDependenciesFromEnvironment();
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
      const report = await inspectTransfer(deps, transferKey(target));
      if (!report) throw new UsageError(`No transfer ${target}.`);
      print(report, () => report.text);
      return 0;
    }
    case 'redrive':
      return printOutcome(await redriveTransfer(deps, transferKey(target), actor));
    case 'retry-failed':
      return printOutcome(await retryFailedLineItems(deps, transferKey(target), actor));
    case 'expire':
      return printOutcome(await expireTransferNow(deps, transferKey(target), actor));
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
      return report.unrepairable.length > 0 ? 3 : 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof UsageError
        ? error.message
        : `Failed: ${error instanceof Error ? error.message : error}`,
    );
    process.exitCode = 1;
  },
);
