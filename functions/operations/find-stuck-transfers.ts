// Finds the stuck transfers: every open transfer, by status, from the open-transfers index (never a scan), each
// with the state of its current workflow execution, judged by diagnose(). Read-only: `ops stuck` shows exactly this.

import type { ExecutionState, WorkflowExecutions } from '#adapters/workflow-executions.ts';
import { forEachConcurrently } from '#application/for-each-concurrently.ts';
import type { OpenTransfer, Storage } from '#application/ports.ts';
import { OPEN_TRANSFER_STATUSES } from '#domain/lifecycle.ts';
import { DEFAULT_DIAGNOSE_SETTINGS, type DiagnoseSettings, type Diagnosis, diagnose } from './diagnose.ts';
import { workflowStateOf } from './repair-transfer.ts';

export interface StuckTransfer {
  transfer: OpenTransfer;
  execution?: ExecutionState;
  diagnosis: Diagnosis;
}

export interface FindStuckDependencies {
  storage: Pick<Storage, 'openTransfers'>;
  executions: Pick<WorkflowExecutions, 'describe'>;
  now: () => Date;
}

/** Executions described at once: well below Step Functions' DescribeExecution rate. */
const DESCRIBE_CONCURRENCY = 8;
const PAGE_SIZE = 100;

export async function findStuckTransfers(
  deps: FindStuckDependencies,
  settings: DiagnoseSettings = DEFAULT_DIAGNOSE_SETTINGS,
): Promise<{ checked: number; stuck: StuckTransfer[] }> {
  const stuck: StuckTransfer[] = [];
  let checked = 0;
  for (const status of OPEN_TRANSFER_STATUSES) {
    let continuationToken: string | undefined;
    do {
      const page = await deps.storage.openTransfers.list(status, {
        limit: PAGE_SIZE,
        ...(continuationToken ? { continuationToken } : {}),
      });
      checked += page.items.length;
      await forEachConcurrently(page.items, DESCRIBE_CONCURRENCY, async (transfer) => {
        const execution = await deps.executions.describe(transfer.id, transfer.workflowRun);
        const diagnosis = diagnose(transfer, workflowStateOf(execution), deps.now(), settings);
        if (diagnosis) stuck.push({ transfer, ...(execution ? { execution } : {}), diagnosis });
      });
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
  return { checked, stuck };
}
