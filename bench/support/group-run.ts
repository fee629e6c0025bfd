// The contract between the runner, its child process and each benchmark group (bench/groups/*): groups import
// their types from here, never from group-child.ts, which imports the groups.
import type { GroupReport } from './report.ts';

export interface GroupOptions {
  /** Shorter cells and fewer samples: a smoke run of the harness, not figures to quote. */
  quick: boolean;
}

export type GroupRun = (
  options: GroupOptions,
) => Promise<Omit<GroupReport, 'group' | 'startedAt' | 'durationMs'>>;

export type GroupChildMessage = { type: 'report'; report: GroupReport } | { type: 'error'; message: string };
