// Progress of a benchmark run, so `npm run bench` is never minutes of silence: a group (in its child process)
// announces each cell it starts; the runner shows the group, the cell, `k/n` with a bar, and the time elapsed in the
// group, on one line rewritten in place on a terminal, or one line per cell when the output is a file or a pipe.

export interface ProgressMessage {
  type: 'progress';
  /** What is being measured now, e.g. "1,000 items" or "getTransfer x 16 connections". */
  cell: string;
  /** Cells finished before this one, and how many the group has in all. */
  done: number;
  total: number;
}

export const isProgressMessage = (message: unknown): message is ProgressMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'progress';

/** In a group's process: counts the group's cells and tells the runner which one starts. */
export class CellProgress {
  private done = 0;

  constructor(private readonly total: number) {}

  /** Announces the next cell; call it before measuring the cell. */
  start(cell: string): void {
    const message: ProgressMessage = { type: 'progress', cell, done: this.done, total: this.total };
    this.done = Math.min(this.done + 1, this.total);
    process.send?.(message);
  }
}

/** "1 item", "1,000 items". */
export const itemsLabel = (count: number): string =>
  `${count.toLocaleString('en-US')} ${count === 1 ? 'item' : 'items'}`;

const BAR_WIDTH = 20;

function bar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

const seconds = (ms: number) => `${Math.floor(ms / 1000)} s`;

/** In the runner: one status line per group on stderr (stdout keeps only the report). */
export class ProgressLine {
  private readonly interactive = process.stderr.isTTY === true;
  private readonly started = Date.now();
  private latest: ProgressMessage | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly group: string) {
    if (this.interactive) {
      this.timer = setInterval(() => this.render(), 1000);
      this.timer.unref();
    }
    this.render();
  }

  update(message: ProgressMessage): void {
    this.latest = message;
    this.render();
  }

  /** Clears the line (terminal) before the group's report is printed. */
  finish(): void {
    clearInterval(this.timer);
    if (this.interactive) process.stderr.write('\r\u001b[2K');
  }

  private text(): string {
    const elapsed = seconds(Date.now() - this.started);
    if (!this.latest) return `${this.group}: starting (${elapsed})`;
    const { cell, done, total } = this.latest;
    return `${this.group} ${bar(done, total)} ${done + 1}/${total} ${cell} (${elapsed})`;
  }

  private render(): void {
    const text = this.text();
    if (this.interactive) {
      const width = process.stderr.columns ?? 100;
      process.stderr.write(`\r\u001b[2K${text.slice(0, width - 1)}`);
    } else {
      process.stderr.write(`${text}\n`);
    }
  }
}
