// Reads a bulk CSV file (header row with the column names, then one row per transfer) and gives every row a request
// id derived from what the row says, so running the same file again repeats the same requests: the API replays its
// first answers instead of acting twice.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from '../exit-codes.ts';

export type CsvRow = Record<string, string>;

export async function readCsvRows(file: string, requiredColumns: readonly string[]): Promise<CsvRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`, EXIT.usage);
  }
  let rows: CsvRow[];
  try {
    rows = parse(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new CliError(`${file} is not valid CSV: ${(error as Error).message}`, EXIT.usage);
  }
  const columns = new Set(Object.keys(rows[0] ?? {}));
  const missing = requiredColumns.filter((column) => !columns.has(column));
  if (rows.length === 0 || missing.length > 0) {
    throw new CliError(
      `${file} needs a header row with ${requiredColumns.join(', ')}${missing.length ? ` (missing: ${missing.join(', ')})` : ''} and at least one row.`,
      EXIT.usage,
    );
  }
  return rows;
}

/** A GUID (version 8: custom, name-based) from the operation and the row's fields in a fixed order. */
export function rowRequestId(operation: string, row: CsvRow): string {
  const canonical = JSON.stringify([
    operation,
    ...Object.keys(row)
      .sort()
      .map((key) => [key, row[key]]),
  ]);
  const hex = createHash('sha256').update(canonical).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const id = hex.join('');
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

/** `a;b c` → [a, b, c]: lists inside one CSV cell. */
export function cellList(cell: string | undefined): string[] {
  return (cell ?? '').split(/[;\s]+/).filter(Boolean);
}
