// Which open transfers are stuck, and what repairs each: pure rules over a transfer header and the state of its
// current workflow execution. No I/O: the reconciler and `ops stuck` feed it what they read.
//
// A transfer is stuck when
//   - it is Active and its acceptance window has passed (the wait that should have expired it is gone or stalled);
//   - it is Accepted or InProgress and the 72 h move window has passed;
//   - it is Accepted, its workflow still runs, and nothing changed for the grace period: the submit that accepted it
//     died between its status change and resuming the acceptance wait (and nobody retried it), so the wait would
//     hold it until the 72 h window failed every item; the wait is resumed with the stored token;
//   - its workflow execution has ended (failed, stopped, timed out, or finished without a terminal status) or does
//     not exist, while the transfer is not finished: the workflow is restarted and routes by the stored status.
// A grace period keeps the reconciler away from transfers that are changing right now (a create that has not yet
// started its execution, a restart a moment ago, a wait that is about to time out).
import type { TransferStatus } from '#domain/model.ts';
import { MOVE_WINDOW_HOURS, MOVE_WINDOW_MS } from '#domain/move-window.ts';

export type WorkflowState =
  | { kind: 'running' }
  | { kind: 'ended'; status: string; stopDate?: string; error?: string }
  | { kind: 'missing' };

export type StuckReason =
  | 'acceptance-window-passed'
  | 'move-window-passed'
  | 'acceptance-not-resumed'
  | 'workflow-ended'
  | 'workflow-missing';

/**
 * expire: Active -> Expired; finalise: the unsettled items fail and the transfer completes; restart: a new run;
 * resume: the acceptance wait gets the success the submit did not send.
 */
export type Repair = 'expire' | 'finalise' | 'restart-workflow' | 'resume-workflow';

export interface Diagnosis {
  reason: StuckReason;
  repair: Repair;
  /** One line for people: what was found. */
  detail: string;
  /** Set when the reconciler must not repair it on its own: an operator decides (and is alarmed). */
  unrepairable?: string;
}

/** What diagnose needs of a transfer (an OpenTransfer has all of it). */
export interface DiagnosedTransfer {
  status: TransferStatus;
  createdTime: string;
  lastModifiedTime: string;
  expirationTime: string;
  acceptedTime?: string;
  workflowRun: number;
  workflowRunStartedAt?: string;
}

export interface DiagnoseSettings {
  graceMs: number;
  /** After this many restarts the reconciler stops restarting and reports the transfer instead. */
  maxWorkflowRestarts: number;
}

export const DEFAULT_DIAGNOSE_SETTINGS: DiagnoseSettings = { graceMs: 5 * 60_000, maxWorkflowRestarts: 5 };

const latest = (...times: (string | undefined)[]) =>
  Math.max(...times.map((time) => (time === undefined ? Number.NEGATIVE_INFINITY : Date.parse(time))));

export function diagnose(
  transfer: DiagnosedTransfer,
  workflow: WorkflowState,
  now: Date,
  settings: DiagnoseSettings = DEFAULT_DIAGNOSE_SETTINGS,
): Diagnosis | undefined {
  const at = now.getTime();
  if (transfer.status === 'Active' && at >= Date.parse(transfer.expirationTime) + settings.graceMs) {
    return {
      reason: 'acceptance-window-passed',
      repair: 'expire',
      detail: `Active past its expiration time ${transfer.expirationTime}`,
    };
  }
  if (
    (transfer.status === 'Accepted' || transfer.status === 'InProgress') &&
    transfer.acceptedTime !== undefined &&
    at >= Date.parse(transfer.acceptedTime) + MOVE_WINDOW_MS + settings.graceMs
  ) {
    return {
      reason: 'move-window-passed',
      repair: 'finalise',
      detail: `${transfer.status} more than ${MOVE_WINDOW_HOURS} h after acceptance (${transfer.acceptedTime})`,
    };
  }
  const quietSince = latest(transfer.createdTime, transfer.lastModifiedTime, transfer.workflowRunStartedAt);
  if (workflow.kind === 'running') {
    // StartMoving turns an Accepted transfer InProgress moments after the wait is resumed.
    if (transfer.status === 'Accepted' && at >= quietSince + settings.graceMs) {
      return {
        reason: 'acceptance-not-resumed',
        repair: 'resume-workflow',
        detail: `Accepted at ${transfer.acceptedTime ?? transfer.lastModifiedTime}, but run ${transfer.workflowRun} of its workflow has not started moving`,
      };
    }
    return undefined;
  }
  const reason: StuckReason = workflow.kind === 'ended' ? 'workflow-ended' : 'workflow-missing';
  if (workflow.kind === 'missing' && at < quietSince + settings.graceMs) return undefined;
  const detail =
    workflow.kind === 'ended'
      ? `${transfer.status}, but run ${transfer.workflowRun} of its workflow ended ${workflow.status}` +
        (workflow.error ? ` (${workflow.error})` : '')
      : `${transfer.status}, but run ${transfer.workflowRun} of its workflow does not exist`;
  return {
    reason,
    repair: 'restart-workflow',
    detail,
    ...(transfer.workflowRun >= settings.maxWorkflowRestarts
      ? {
          unrepairable: `restarted ${transfer.workflowRun} times already; the workflow keeps ending without finishing the transfer`,
        }
      : {}),
  };
}
