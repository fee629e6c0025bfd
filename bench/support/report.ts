// What every benchmark group hands back to the runner: tables to print, targets with their verdict, raw data for the
// JSON file. Plain data, so it crosses the child-process boundary as it is.

export type Cell = string | number;

export interface ReportTable {
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Printed under the table: how to read it, what dominates, what was assumed. */
  notes?: string[];
}

export interface TargetVerdict {
  /** The target as the issue states it. */
  target: string;
  /** What was measured, in words and numbers. */
  measured: string;
  /** null when it could not be measured in this run. */
  met: boolean | null;
  /** Why, when missed (or why it could not be measured). */
  explanation?: string;
}

export interface GroupReport {
  group: BenchGroupName;
  title: string;
  startedAt: string;
  durationMs: number;
  tables: ReportTable[];
  targets: TargetVerdict[];
  /** Raw figures for the JSON file. */
  data: unknown;
}

export const BENCH_GROUPS = ['api', 'workflow', 'cost', 'coldstart'] as const;
export type BenchGroupName = (typeof BENCH_GROUPS)[number];

export const isBenchGroup = (name: string): name is BenchGroupName =>
  (BENCH_GROUPS as readonly string[]).includes(name);

/** A fixed-width text table. */
export function renderTable(table: ReportTable): string {
  const cells = [table.headers, ...table.rows.map((row) => row.map(String))];
  const widths = table.headers.map((_, column) =>
    Math.max(...cells.map((row) => String(row[column] ?? '').length)),
  );
  const line = (row: readonly Cell[]) =>
    row
      .map((cell, column) => {
        const text = String(cell);
        const width = widths[column] ?? text.length;
        return typeof cell === 'number' || /^[\d.$<>~-]/.test(text)
          ? text.padStart(width)
          : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const separator = widths.map((width) => '-'.repeat(width)).join('  ');
  const out = [table.title, line(table.headers), separator, ...table.rows.map(line)];
  for (const note of table.notes ?? []) out.push(`  * ${note}`);
  return out.join('\n');
}

/** The same table as GitHub Markdown (for the README section). */
export function renderMarkdownTable(table: ReportTable): string {
  const markdownCell = (cell: Cell) => String(cell).replaceAll('|', '\\|');
  const out = [
    `**${table.title}**`,
    '',
    `| ${table.headers.map(markdownCell).join(' | ')} |`,
    `|${table.headers.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`),
  ];
  if (table.notes && table.notes.length > 0) out.push('', ...table.notes.map((note) => `- ${note}`));
  return out.join('\n');
}

export function renderTargets(targets: readonly TargetVerdict[]): string {
  return targets
    .map((verdict) => {
      const mark = verdict.met === null ? 'N/A ' : verdict.met ? 'MET ' : 'MISS';
      const why = verdict.explanation ? `\n         why: ${verdict.explanation}` : '';
      return `  [${mark}] ${verdict.target}\n         measured: ${verdict.measured}${why}`;
    })
    .join('\n');
}
