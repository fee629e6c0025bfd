// One reconciler run: find the stuck transfers and repair each (see repair-transfer.ts). A transfer the rules say
// an operator must look at, or whose repair fails, is reported as unrepairable instead; one failure never stops the
// others. A second run right after the first finds nothing left to change.
import {
  DEFAULT_DIAGNOSE_SETTINGS,
  type DiagnoseSettings,
  type Repair,
  type StuckReason,
} from './diagnose.ts';
import { findStuckTransfers } from './find-stuck-transfers.ts';
import { type OperationsDependencies, repairTransfer } from './repair-transfer.ts';

export const RECONCILER_ACTOR = 'reconciler';

export interface ReconciledTransfer {
  customerId: string;
  transferId: string;
  status: string;
  reason: StuckReason;
  repair: Repair;
  detail: string;
}

export interface ReconcileReport {
  /** Open transfers looked at. */
  checked: number;
  repaired: ReconciledTransfer[];
  /** Found stuck, but by the time of the repair nothing needed doing (another repairer was first). */
  alreadyRepaired: ReconciledTransfer[];
  unrepairable: (ReconciledTransfer & { problem: string })[];
}

export async function reconcile(
  deps: OperationsDependencies,
  settings: DiagnoseSettings = DEFAULT_DIAGNOSE_SETTINGS,
): Promise<ReconcileReport> {
  const { checked, stuck } = await findStuckTransfers(deps, settings);
  const report: ReconcileReport = { checked, repaired: [], alreadyRepaired: [], unrepairable: [] };
  for (const { transfer, diagnosis } of stuck) {
    const entry = {
      customerId: transfer.customerTenantId,
      transferId: transfer.id,
      status: transfer.status,
      reason: diagnosis.reason,
      repair: diagnosis.repair,
      detail: diagnosis.detail,
    };
    if (diagnosis.unrepairable) {
      report.unrepairable.push({ ...entry, problem: diagnosis.unrepairable });
      continue;
    }
    try {
      const outcome = await repairTransfer(
        deps,
        transfer,
        diagnosis.repair,
        diagnosis.reason,
        RECONCILER_ACTOR,
      );
      const done = { ...entry, detail: `${diagnosis.detail}: ${outcome.detail}` };
      (outcome.changed ? report.repaired : report.alreadyRepaired).push(done);
    } catch (error) {
      report.unrepairable.push({ ...entry, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
