// `npm run chaos -- [--minutes N] [--seed S] [--transfers N] [--kills N]`: a crash and fault campaign against the
// local cloud (see README, "Chaos campaign"). Exits 1 when an invariant was violated.
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runCampaign } from './campaign.ts';
import { renderMarkdown, writeReport } from './report.ts';

const RESULTS_DIR = fileURLToPath(new URL('../results/chaos/', import.meta.url));
const USAGE = `Usage: npm run chaos -- [--minutes N] [--seed S] [--transfers N] [--kills N]
  --minutes <n>                    time budget, settling and final checks included (default 10)
  --seed <n>                       names the campaign: workload, kill moments and faults follow from it
                                   (default: random)
  --transfers <n>                  transfers in the workload (default 200)
  --kills <n>                      kill -9 and restarts of the local cloud (default 100)
  --acceptance-window-seconds <n>  before an unaccepted transfer expires (default 45)
  --crash-lease-seconds <n>        the local cloud's --crash-lease-seconds (default: the production 60 s and 120 s)
Writes Markdown and JSON to bench/results/chaos/; the cloud's own output goes to a .log file beside them.`;

const OPTIONS = z.object({
  minutes: z.coerce.number().positive().max(240).default(10),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(() => Math.floor(Math.random() * 1_000_000)),
  transfers: z.coerce.number().int().min(1).max(5000).default(200),
  kills: z.coerce.number().int().min(0).max(10_000).default(100),
  acceptanceWindowSeconds: z.coerce.number().int().min(5).max(3600).optional(),
  crashLeaseSeconds: z.coerce.number().int().min(1).max(60).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      seed: { type: 'string' },
      transfers: { type: 'string' },
      kills: { type: 'string' },
      'acceptance-window-seconds': { type: 'string' },
      'crash-lease-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const parsed = OPTIONS.safeParse({
    ...values,
    acceptanceWindowSeconds: values['acceptance-window-seconds'],
    crashLeaseSeconds: values['crash-lease-seconds'],
  });
  if (!parsed.success) {
    console.error(
      `Invalid options: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n\n${USAGE}`,
    );
    process.exit(2);
  }
  const options = parsed.data;
  await mkdir(RESULTS_DIR, { recursive: true });
  const cloudLog = join(RESULTS_DIR, `chaos-seed-${options.seed}.log`);
  writeFileSync(cloudLog, '');
  console.log(
    `Chaos campaign: seed ${options.seed}, ${options.transfers} transfers, ${options.kills} kills, at most ${options.minutes} min (cloud output: ${cloudLog})`,
  );
  const report = await runCampaign({
    ...options,
    workDir: join(RESULTS_DIR, 'work'),
    onProgress: (line) => console.log(line),
    onCloudOutput: (line) => appendFileSync(cloudLog, `${line}\n`),
  });
  const files = await writeReport(RESULTS_DIR, report);
  console.log(`\n${renderMarkdown(report)}`);
  console.log(`Report: ${files.markdown} (JSON: ${files.json})`);
  if (report.violations.length > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error('The chaos campaign failed:', error);
  process.exit(1);
});
