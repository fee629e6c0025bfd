// Runs one benchmark group in this (child) process and sends its report to the runner: `<group> <options JSON>`.
import './quiet-sdk-warning.ts';
import '#local/polyfills.ts';
import type { GroupChildMessage, GroupOptions, GroupRun } from './group-run.ts';
import { type BenchGroupName, type GroupReport, isBenchGroup } from './report.ts';

const groupModules: Record<BenchGroupName, () => Promise<{ run: GroupRun }>> = {
  api: () => import('../groups/api.ts'),
  workflow: () => import('../groups/workflow.ts'),
  cost: () => import('../groups/cost.ts'),
  coldstart: () => import('../groups/coldstart.ts'),
};

/** Resolves once the message has been handed to the IPC channel (exiting earlier could drop it). */
const sendToRunner = (message: GroupChildMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

async function main(): Promise<void> {
  const [name = '', optionsJson = '{}'] = process.argv.slice(2);
  if (!isBenchGroup(name)) throw new Error(`unknown benchmark group "${name}"`);
  const options = { quick: false, ...(JSON.parse(optionsJson) as Partial<GroupOptions>) };
  const startedAt = new Date();
  const { run } = await groupModules[name]();
  const result = await run(options);
  const report: GroupReport = {
    group: name,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    ...result,
  };
  await sendToRunner({ type: 'report', report });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    void sendToRunner({ type: 'error', message }).then(() => process.exit(1));
  },
);
