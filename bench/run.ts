// `npm run bench [-- <group>...] [--quick]`: runs the benchmark groups (api, workflow, cost, coldstart; all by
// default), each in its own process, prints every figure next to its floor and the targets' verdicts, and writes
// JSON (and the tables as Markdown) under bench/results/ (git-ignored).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { forkBench } from './support/child-process.ts';
import type { GroupChildMessage } from './support/group-run.ts';
import { isProgressMessage, ProgressLine } from './support/progress.ts';
import {
  BENCH_GROUPS,
  type BenchGroupName,
  type GroupReport,
  isBenchGroup,
  renderMarkdownTable,
  renderTable,
  renderTargets,
} from './support/report.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const USAGE = `Usage: npm run bench [-- [${BENCH_GROUPS.join('|')}]... [--quick]]
  no group    runs all of them (about 5 minutes on 2 cores)
  --quick     shorter cells and fewer samples: checks the harness, figures are not worth quoting`;

function parseArguments(argv: string[]): { groups: BenchGroupName[]; quick: boolean } | 'help' {
  const groups: BenchGroupName[] = [];
  let quick = false;
  for (const argument of argv) {
    if (argument === '--help' || argument === '-h') return 'help';
    if (argument === '--quick') quick = true;
    else if (isBenchGroup(argument)) groups.push(argument);
    else throw new Error(`Unknown argument "${argument}".\n${USAGE}`);
  }
  return { groups: groups.length > 0 ? groups : [...BENCH_GROUPS], quick };
}

function machine() {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown'}`,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
  };
}

async function runGroup(group: BenchGroupName, quick: boolean): Promise<GroupReport> {
  const child = forkBench<GroupChildMessage>(new URL('./support/group-child.ts', import.meta.url), [
    group,
    JSON.stringify({ quick }),
  ]);
  const progress = new ProgressLine(group);
  child.child.on('message', (message) => {
    if (isProgressMessage(message)) progress.update(message);
  });
  try {
    const message = await child.firstMessage;
    if (message.type === 'error') throw new Error(`benchmark "${group}" failed:\n${message.message}`);
    return message.report;
  } finally {
    progress.finish();
    await child.stop();
  }
}

function printReport(report: GroupReport): void {
  console.log(`\n=== ${report.title} (${(report.durationMs / 1000).toFixed(0)} s) ===\n`);
  for (const table of report.tables) console.log(`${renderTable(table)}\n`);
  console.log('Targets:');
  console.log(renderTargets(report.targets));
}

function markdown(reports: readonly GroupReport[], environment: ReturnType<typeof machine>): string {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${environment.cpus}, ${environment.memoryGiB} GiB, ` +
      `Node ${environment.node}.`,
    '',
  ];
  for (const report of reports) {
    lines.push(`### ${report.title}`, '');
    for (const table of report.tables) lines.push(renderMarkdownTable(table), '');
    lines.push('Targets:', '');
    for (const verdict of report.targets) {
      const mark = verdict.met === null ? 'n/a' : verdict.met ? 'met' : '**missed**';
      lines.push(
        `- ${verdict.target}: ${mark}: ${verdict.measured}${verdict.explanation ? `. ${verdict.explanation}` : ''}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const parsed = parseArguments(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const environment = machine();
  console.log(
    `Benchmarks: ${parsed.groups.join(', ')}${parsed.quick ? ' (quick: smoke run, do not quote)' : ''} on ` +
      `${environment.cpus}, Node ${environment.node}`,
  );
  const started = Date.now();
  const reports: GroupReport[] = [];
  const failures: string[] = [];
  for (const group of parsed.groups) {
    try {
      const report = await runGroup(group, parsed.quick);
      reports.push(report);
      printReport(report);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(group);
      console.error(`\n=== ${group}: FAILED ===\n${message}`);
    }
  }

  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const run = { environment, quick: parsed.quick, reports };
  const file = `${RESULTS_DIR}${stamp}-${parsed.groups.join('-')}.json`;
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  // latest.json keeps the newest report of every group, so single-group runs update their part only.
  const latestFile = `${RESULTS_DIR}latest.json`;
  const previous = await readFile(latestFile, 'utf8').then(
    (text) => JSON.parse(text) as { reports?: GroupReport[] },
    () => ({ reports: [] as GroupReport[] }),
  );
  const latest = new Map((previous.reports ?? []).map((report) => [report.group, report]));
  if (!parsed.quick) for (const report of reports) latest.set(report.group, report);
  const latestReports = BENCH_GROUPS.flatMap((group) => latest.get(group) ?? []);
  await writeFile(latestFile, `${JSON.stringify({ environment, reports: latestReports }, null, 2)}\n`);
  await writeFile(`${RESULTS_DIR}latest.md`, markdown(latestReports, environment));
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  console.log(`Results: ${file}\nLatest of every group: ${latestFile} (Markdown: ${RESULTS_DIR}latest.md)`);
  if (failures.length > 0) {
    console.error(`Failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
