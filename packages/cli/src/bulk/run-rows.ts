// Runs one async job per row with at most `concurrency` in flight; a row that throws becomes a failed result and
// never stops the others. Reports each finished row (for the progress bar).
import { ApiError, ApiUnreachableError } from '@partner-transfers/client';

export interface RowError {
  code: string;
  description: string;
  status?: number;
  correlationId?: string;
  details?: readonly { field?: string; code: string; description: string }[];
}

export type RowOutcome<Done> =
  | { row: number; status: 'done'; result: Done }
  | { row: number; status: 'failed'; error: RowError };

export function rowError(error: unknown): RowError {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      description: error.description,
      status: error.status,
      ...(error.correlationId ? { correlationId: error.correlationId } : {}),
      ...(error.details.length ? { details: error.details } : {}),
    };
  }
  if (error instanceof ApiUnreachableError) return { code: 'ApiUnreachable', description: error.message };
  return { code: 'RowError', description: error instanceof Error ? error.message : String(error) };
}

export async function runRows<Row, Done>(
  rows: readonly Row[],
  concurrency: number,
  job: (row: Row, index: number) => Promise<Done>,
  onFinished: (outcome: RowOutcome<Done>) => void,
): Promise<RowOutcome<Done>[]> {
  const outcomes: RowOutcome<Done>[] = new Array(rows.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < rows.length) {
      const index = next++;
      const row = rows[index] as Row;
      let outcome: RowOutcome<Done>;
      try {
        outcome = { row: index + 1, status: 'done', result: await job(row, index) };
      } catch (error) {
        outcome = { row: index + 1, status: 'failed', error: rowError(error) };
      }
      outcomes[index] = outcome;
      onFinished(outcome);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  return outcomes;
}
