// The running executions on disk, so that they survive the process: Step Functions on AWS keeps an execution
// running whatever happens to the machines under it, and the local endpoint on a data folder must not lose one to a
// kill -9 either (a transfer killed between its terminal status and its closing steps would never be closed).
// One JSON line per start and per end, appended synchronously before the start is answered: what the OS has, a
// killed process cannot take back. Opening the journal compacts it to the executions still running.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JournaledExecution {
  stateMachineName: string;
  name: string;
  input: string;
}

interface JournalLine extends Partial<JournaledExecution> {
  op?: 'start' | 'end';
}

const keyOf = (stateMachineName: string, name: string) => `${stateMachineName}\u0000${name}`;

function readRunning(file: string): Map<string, JournaledExecution> {
  const running = new Map<string, JournaledExecution>();
  if (!existsSync(file)) return running;
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue; // an empty line, or the last one torn by a kill mid-append: that start was never answered
    }
    const { op, stateMachineName, name, input } = line;
    if (typeof stateMachineName !== 'string' || typeof name !== 'string') continue;
    const key = keyOf(stateMachineName, name);
    if (op === 'end') running.delete(key);
    else if (op === 'start' && typeof input === 'string') running.set(key, { stateMachineName, name, input });
  }
  return running;
}

export class ExecutionJournal {
  private readonly running: Map<string, JournaledExecution>;

  /** Reads what ran when the last process stopped and rewrites the file with only that. */
  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.running = readRunning(file);
    const compacted = [...this.running.values()].map(
      (entry) => `${JSON.stringify({ op: 'start', ...entry })}\n`,
    );
    writeFileSync(`${file}.tmp`, compacted.join(''));
    renameSync(`${file}.tmp`, file);
  }

  /** The executions of this state machine that were running when the last process stopped. */
  runningOf(stateMachineName: string): JournaledExecution[] {
    return [...this.running.values()].filter((entry) => entry.stateMachineName === stateMachineName);
  }

  started(execution: JournaledExecution): void {
    this.running.set(keyOf(execution.stateMachineName, execution.name), execution);
    appendFileSync(this.file, `${JSON.stringify({ op: 'start', ...execution })}\n`);
  }

  ended(stateMachineName: string, name: string): void {
    this.running.delete(keyOf(stateMachineName, name));
    appendFileSync(this.file, `${JSON.stringify({ op: 'end', stateMachineName, name })}\n`);
  }
}
