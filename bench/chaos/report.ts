// The campaign report as Markdown (for people and the README) and JSON (for tools), under bench/results/chaos/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CampaignReport, reproduceCommand } from './campaign.ts';

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function renderMarkdown(report: CampaignReport): string {
  const lines = [
    `# Chaos campaign, seed ${report.seed}`,
    '',
    `Started ${report.startedAt}, ran ${report.durationSeconds} s. Reproduce: \`${reproduceCommand(report.options)}\`.`,
    '',
    '| figure | value |',
    '|---|---|',
    row(['transfers planned / created', `${report.transfers.planned} / ${report.transfers.created}`]),
    row([
      'planned fates',
      Object.entries(report.transfers.byFate)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]),
    row([
      'final statuses',
      Object.entries(report.transfers.finalStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]),
    row(['kill -9 and restarts (a minute)', `${report.kills} (${report.killsPerMinute})`]),
    row([
      'restart time (median / max)',
      `${report.restartSeconds.median} s / ${report.restartSeconds.max} s`,
    ]),
    row([
      'writes sent / acknowledged / refused (4xx)',
      `${report.requests.writes} / ${report.requests.acknowledged} / ${report.requests.refusals}`,
    ]),
    row([
      'client retries / 5xx seen / dropped connections',
      `${report.requests.clientRetries} / ${report.requests.serverErrors} / ${report.faults.droppedConnections}`,
    ]),
    row(['replayed MS-RequestIds / API reads', `${report.requests.replays} / ${report.requests.apiReads}`]),
    row(['emails seen', report.emails]),
    row(['emulator faults', `\`${report.faults.emulatorFaults}\``]),
    row(['sandbox move faults', `\`${report.faults.moveFaults}\``]),
    row(['invariant checks (rounds)', `${report.invariantChecks} (${report.checkRounds})`]),
    row(['violations', report.violations.length]),
    '',
  ];
  if (report.violations.length > 0) {
    lines.push(
      '## Violations',
      '',
      '| invariant | step | after kills | transfer | what |',
      '|---|---|---|---|---|',
    );
    for (const v of report.violations)
      lines.push(
        row([v.invariant, v.step, v.afterKills, v.transferId ?? '', v.message.replaceAll('|', '\\|')]),
      );
    lines.push('');
  }
  if (report.gaveUp.length > 0)
    lines.push(
      '## Writes given up (cloud unreachable too long)',
      '',
      ...report.gaveUp.map((g) => `- ${g}`),
      '',
    );
  return lines.join('\n');
}

export async function writeReport(
  resultsDir: string,
  report: CampaignReport,
): Promise<{ markdown: string; json: string }> {
  await mkdir(resultsDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const base = join(resultsDir, `chaos-${stamp}-seed-${report.seed}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, renderMarkdown(report));
  return { markdown: `${base}.md`, json: `${base}.json` };
}
