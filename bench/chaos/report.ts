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
    row([
      'transfers planned / create requests issued / created',
      `${report.transfers.planned} / ${report.transfers.issued} / ${report.transfers.created}`,
    ]),
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
    row([
      'refusals (4xx) by write and code',
      Object.entries(report.requests.refusalsByCode)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none',
    ]),
    row(['emails seen', report.emails]),
    row([
      'webhook endpoints',
      report.webhooks.endpoints
        .map((endpoint) => `${endpoint.partnerTenantId}: ${endpoint.events}`)
        .join('; '),
    ]),
    row([
      'webhook events recorded / deliveries stored',
      `${report.webhooks.eventsRecorded} / ${report.webhooks.deliveriesStored}`,
    ]),
    row([
      'webhook requests received / distinct / duplicates / bad signatures',
      `${report.webhooks.requestsReceived} / ${report.webhooks.distinctDelivered} / ${report.webhooks.duplicates} / ${report.webhooks.invalidSignatures}`,
    ]),
    row(['webhook drain after the last transfer settled', `${report.webhooks.drainSeconds} s`]),
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
  if (report.slowWrites.length > 0)
    lines.push(
      '## Writes answered after more than 10 s',
      '',
      ...report.slowWrites.map(
        (w) =>
          `- step ${w.step}, ${w.kind}: ${w.seconds} s, ${w.outcome}; sent again after: ${w.waitedOn.join('; ') || 'nothing'}`,
      ),
      '',
    );
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
