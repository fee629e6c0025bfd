// transfers create|accept --from-file: one request per CSV row, a few at a time, with a progress bar, a result table,
// a JSON report (stdout with --json, and --report <file>), exit 7 when any row failed. Request ids come from the rows,
// so re-running a file (after a crash, or to retry the failed rows once fixed) never acts twice on a row.
import { writeFile } from 'node:fs/promises';
import { progress } from '@clack/prompts';
import type { CreateTransferRequest, PartnerTransfersClient, Transfer } from '@partner-transfers/client';
import { EXIT } from '../exit-codes.ts';
import { eligibleSubscriptions } from '../interactive-accept.ts';
import { type Output, statusText, table } from '../output.ts';
import { type CsvRow, cellList, readCsvRows, rowRequestId } from './csv-rows.ts';
import { type RowOutcome, runRows } from './run-rows.ts';

export interface BulkOptions {
  concurrency: number;
  report?: string;
}

interface RowResult {
  customerId: string;
  transferId: string;
  transferStatus: Transfer['status'];
  requestId: string;
  note?: string;
}

export interface BulkReport {
  operation: 'create' | 'accept';
  file: string;
  total: number;
  done: number;
  failed: number;
  rows: ({ row: number; status: 'done' | 'failed'; input: CsvRow; requestId: string } & (
    | Omit<RowResult, 'requestId'>
    | { error: Extract<RowOutcome<RowResult>, { status: 'failed' }>['error'] }
  ))[];
}

const ACCEPTED_OR_LATER = new Set(['Accepted', 'InProgress', 'Complete', 'CompletedWithErrors']);

async function runBulk(
  operation: 'create' | 'accept',
  file: string,
  rows: CsvRow[],
  options: BulkOptions,
  output: Output,
  job: (row: CsvRow, requestId: string) => Promise<RowResult>,
): Promise<number> {
  const bar =
    output.interactive && process.stderr.isTTY
      ? progress({ max: rows.length, output: process.stderr })
      : undefined;
  bar?.start(`${operation} 0 of ${rows.length}`);
  let finished = 0;
  let failed = 0;
  const requestIds = rows.map((row) => rowRequestId(operation, row));
  const outcomes = await runRows(
    rows,
    options.concurrency,
    (row, index) => job(row, requestIds[index] ?? ''),
    (outcome) => {
      finished += 1;
      if (outcome.status === 'failed') failed += 1;
      bar?.advance(1, `${operation} ${finished} of ${rows.length}${failed ? `, ${failed} failed` : ''}`);
    },
  );
  bar?.stop(`${operation}: ${finished - failed} done, ${failed} failed`);

  const report: BulkReport = {
    operation,
    file,
    total: rows.length,
    done: rows.length - failed,
    failed,
    rows: outcomes.map((outcome, index) => {
      const common = { row: outcome.row, input: rows[index] ?? {}, requestId: requestIds[index] ?? '' };
      if (outcome.status === 'failed') return { ...common, status: 'failed' as const, error: outcome.error };
      const { requestId: _sameAsCommon, ...result } = outcome.result;
      return { ...common, status: 'done' as const, ...result };
    }),
  };
  if (options.report) await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
  output.result(report, () => bulkTable(report, output));
  return failed > 0 ? EXIT.someRowsFailed : EXIT.ok;
}

function bulkTable(report: BulkReport, output: Output): string {
  const { green, red } = output.colors;
  const rows = report.rows.map((row) => [
    String(row.row),
    row.input.customerId ?? '',
    row.status === 'done' ? green('done') : red('failed'),
    'error' in row
      ? `${row.error.code}: ${row.error.description}${row.error.correlationId ? ` (correlation id ${row.error.correlationId})` : ''}`
      : `${row.transferId} ${statusText(row.transferStatus, output)}${row.note ? ` (${row.note})` : ''}`,
  ]);
  const summary = `${report.done} done, ${report.failed} failed of ${report.total}`;
  return `${table(['ROW', 'CUSTOMER', 'RESULT', 'TRANSFER / ERROR'], rows, output)}\n\n${report.failed ? red(summary) : green(summary)}`;
}

export async function runBulkCreate(
  client: PartnerTransfersClient,
  file: string,
  options: BulkOptions,
  output: Output,
) {
  const rows = await readCsvRows(file, [
    'customerId',
    'sourcePartnerTenantId',
    'sourcePartnerName',
    'customerEmailId',
  ]);
  return runBulk('create', file, rows, options, output, async (row, requestId) => {
    const body: CreateTransferRequest = {
      sourcePartnerTenantId: row.sourcePartnerTenantId ?? '',
      sourcePartnerName: row.sourcePartnerName ?? '',
      customerEmailId: row.customerEmailId ?? '',
      ...(row.customerName ? { customerName: row.customerName } : {}),
      ...(row.targetProductTypes
        ? {
            targetProductTypes: cellList(
              row.targetProductTypes,
            ) as CreateTransferRequest['targetProductTypes'],
          }
        : {}),
    };
    const transfer = await client.createTransfer(row.customerId ?? '', body, { requestId });
    return {
      customerId: transfer.customerTenantId,
      transferId: transfer.id,
      transferStatus: transfer.status,
      requestId,
    };
  });
}

export async function runBulkAccept(
  client: PartnerTransfersClient,
  file: string,
  options: BulkOptions,
  output: Output,
) {
  const rows = await readCsvRows(file, ['transferId']);
  const inbox = new Map<string, string>();
  if (rows.some((row) => !row.customerId)) {
    for await (const transfer of client.listTransfers({ direction: 'incoming', pageSize: 100 })) {
      inbox.set(transfer.id, transfer.customerTenantId);
    }
  }
  return runBulk('accept', file, rows, options, output, async (row, requestId) => {
    const transferId = row.transferId ?? '';
    const customerId = row.customerId || inbox.get(transferId);
    if (!customerId)
      throw new Error(`Transfer ${transferId} is not in your inbox: add its customerId to the row.`);
    let subscriptionIds = cellList(row.subscriptionIds);
    if (subscriptionIds.length === 0) {
      // "All eligible" is worked out now; once accepted, eligibility changes, so a re-run reports the acceptance.
      const { transfer, eligible } = await eligibleSubscriptions(client, customerId, transferId);
      if (ACCEPTED_OR_LATER.has(transfer.status)) {
        return {
          customerId,
          transferId,
          transferStatus: transfer.status,
          requestId,
          note: 'already accepted',
        };
      }
      subscriptionIds = eligible.map((entry) => entry.subscriptionId);
    }
    const transfer = await client.acceptTransfer(customerId, transferId, subscriptionIds, { requestId });
    return { customerId, transferId, transferStatus: transfer.status, requestId };
  });
}
