// What the CLI prints: JSON on stdout with --json (nothing else there), otherwise short human text and aligned
// tables; colors only when stdout is a terminal and NO_COLOR is unset.
import pc from 'picocolors';

export interface Output {
  json: boolean;
  interactive: boolean;
  colors: ReturnType<typeof pc.createColors>;
  /** The command's result: JSON with --json, else the human rendering. */
  result(value: unknown, human: () => string): void;
  /** A line for humans on stderr (never mixed into JSON). */
  note(line: string): void;
}

export function createOutput(options: { json: boolean }): Output {
  const stdoutIsTerminal = Boolean(process.stdout.isTTY);
  const colorsWanted = stdoutIsTerminal && !options.json && !process.env.NO_COLOR;
  return {
    json: options.json,
    interactive: Boolean(process.stdin.isTTY) && stdoutIsTerminal && !options.json,
    colors: pc.createColors(colorsWanted),
    result(value, human) {
      process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    note(line) {
      if (!options.json) process.stderr.write(`${line}\n`);
    },
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI color codes to measure widths.
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string) => text.replace(ANSI, '').length;

/** Columns padded to their widest cell; the header dimmed by the caller's colors. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  output: Output,
): string {
  const widths = headers.map((header, column) =>
    Math.max(visibleLength(header), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  if (rows.length === 0) return output.colors.dim('(none)');
  return [output.colors.bold(line(headers)), ...rows.map(line)].join('\n');
}

/** A transfer or line-item status, colored by what it means: done, attention, over, failed, waiting. */
export function statusText(status: string, output: Output): string {
  const { green, yellow, red, cyan, dim } = output.colors;
  const paint: Record<string, (text: string) => string> = {
    Complete: green,
    Moved: green,
    CompletedWithErrors: yellow,
    InProgress: yellow,
    Canceled: dim,
    Expired: dim,
    Failed: red,
    Active: cyan,
  };
  return (paint[status] ?? String)(status);
}
