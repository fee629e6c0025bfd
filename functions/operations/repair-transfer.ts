// The repairs of a stuck transfer. Each one goes through the workflow's own use cases and is safe to repeat: a
// second call (or a second reconciler racing the first) finds the work done and changes nothing.
//
// - restart: claim the next workflow run with one conditional write (only one repairer wins), write the audit entry,
//   start the execution of that run. The workflow routes by the stored status and every task is idempotent, so it
//   continues from where the transfer stands; a subscription already moved counts as moved (never moved twice).
//   A crash after the claim leaves a run without an execution: the next reconciler run restarts again.
// - expire: Active -> Expired and the claims released (the use cases of the acceptance timeout), then the stalled
//   acceptance wait, if any, is ended so the execution finishes.
// - resume: an Accepted transfer whose acceptance wait still runs gets what the submit's follow-ups would have done
//   (completeAcceptance: SendTaskSuccess with the stored token, the acceptance's audit entry); a token the workflow
//   no longer waits on is refused by Step Functions, so a wait that moved on meanwhile is left alone.
// - finalise: the execution is stopped, every unsettled line item fails with MoveWindowPassed, a new run is started
//   (it finalises and sends the completion emails), and the transfer is finalised right here too (idempotent
//   against the workflow's own finalise), so it is terminal when the repair returns.

import type { ExecutionState, WorkflowExecutions } from '#adapters/workflow-executions.ts';
import type { OpenTransfer, TransferWorkflow } from '#application/ports.ts';
import { completeAcceptance, readForFollowUps } from '#application/status-change-follow-ups.ts';
import { auditRecordsFor } from '#domain/audit.ts';
import { isLineItemSettled } from '#domain/line-item-status.ts';
import type { Repair, WorkflowState } from './diagnose.ts';
import { type UseCaseDependencies, useCases } from './use-cases.ts';

export interface OperationsDependencies extends UseCaseDependencies {
  executions: WorkflowExecutions;
  workflow: Pick<TransferWorkflow, 'start' | 'endAcceptanceWait' | 'accept'>;
}

/** What a repair needs to know about the transfer. */
export type RepairTarget = Pick<
  OpenTransfer,
  'id' | 'customerTenantId' | 'sourcePartnerTenantId' | 'targetPartnerTenantId' | 'workflowRun'
>;

export interface RepairOutcome {
  repair: Repair;
  /** false: nothing needed doing any more (another repairer, or the workflow, got there first). */
  changed: boolean;
  detail: string;
}

export function workflowStateOf(execution: ExecutionState | undefined): WorkflowState {
  if (execution === undefined) return { kind: 'missing' };
  if (execution.status === 'RUNNING') return { kind: 'running' };
  return {
    kind: 'ended',
    status: execution.status,
    ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
    ...(execution.error ? { error: execution.error } : {}),
  };
}

const keyOf = (transfer: RepairTarget) => ({
  customerId: transfer.customerTenantId,
  transferId: transfer.id,
});

async function auditRepair(
  deps: OperationsDependencies,
  transfer: RepairTarget,
  revision: string,
  actor: string,
  details: Record<string, string | number>,
) {
  const at = deps.now().toISOString();
  for (const record of auditRecordsFor(transfer, 'TransferRepaired', actor, at, { revision, details })) {
    await deps.storage.audit.append(record);
  }
}

const outcomeOf =
  (repair: Repair) =>
  (changed: boolean, detail: string): RepairOutcome => ({ repair, changed, detail });

/** Starts the next run of the workflow unless the current one is running. */
export async function restartWorkflow(
  deps: OperationsDependencies,
  transfer: RepairTarget,
  reason: string,
  actor: string,
): Promise<RepairOutcome> {
  const outcome = outcomeOf('restart-workflow');
  const current = await deps.executions.describe(transfer.id, transfer.workflowRun);
  if (current?.status === 'RUNNING') return outcome(false, `run ${transfer.workflowRun} is running`);
  const run = transfer.workflowRun + 1;
  const claimed = await deps.storage.openTransfers.claimNextWorkflowRun(
    transfer.customerTenantId,
    transfer.id,
    transfer.workflowRun,
    deps.now().toISOString(),
  );
  if (!claimed) return outcome(false, 'another repair restarted it first');
  await auditRepair(deps, transfer, `restart-${run}`, actor, { repair: 'restart-workflow', reason, run });
  await deps.workflow.start({ ...keyOf(transfer), run });
  return outcome(true, `started run ${run}`);
}

export async function expireStuckTransfer(
  deps: OperationsDependencies,
  transfer: RepairTarget,
  reason: string,
  actor: string,
): Promise<RepairOutcome> {
  const expired = await useCases.expire(deps, keyOf(transfer));
  if (expired.outcome === 'not-yet-expired') {
    return { repair: 'expire', changed: false, detail: 'its acceptance window has not passed' };
  }
  if (expired.status !== 'Expired' && expired.status !== 'Canceled') {
    return { repair: 'expire', changed: false, detail: `it is ${expired.status} now` };
  }
  const closed = await useCases.closeUnaccepted(deps, keyOf(transfer));
  if (expired.outcome === 'expired') {
    await auditRepair(deps, transfer, 'expire', actor, { repair: 'expire', reason });
  }
  // A wait that is still running would hold the execution open until its own (capped) timeout.
  const token = await deps.storage.transfers.getStatusAndAcceptanceToken(
    transfer.customerTenantId,
    transfer.id,
  );
  if (token?.acceptanceTaskToken) await deps.workflow.endAcceptanceWait(token.acceptanceTaskToken);
  return {
    repair: 'expire',
    changed: expired.outcome === 'expired' || closed.releasedClaims > 0,
    detail: `${expired.status}; ${closed.releasedClaims} subscription claim(s) released`,
  };
}

export async function resumeAcceptedTransfer(
  deps: OperationsDependencies,
  transfer: RepairTarget,
  reason: string,
  actor: string,
): Promise<RepairOutcome> {
  const outcome = outcomeOf('resume-workflow');
  const read = await readForFollowUps(deps.storage, transfer.customerTenantId, transfer.id, ['Accepted']);
  if (!('header' in read)) return outcome(false, `it is ${read.status ?? 'gone'} now`);
  const { header, token } = read;
  // Without a token the wait has not begun: its store step finds the transfer Accepted and routes on by itself.
  if (token === undefined) return outcome(false, 'its workflow has not started waiting yet');
  // Resumes the wait and writes the acceptance's audit entry (deterministic id: never twice).
  const resumed = await completeAcceptance(deps, header, token);
  if (resumed !== 'resumed') return outcome(false, 'its acceptance wait had already ended');
  await auditRepair(deps, transfer, `resume-${transfer.workflowRun}`, actor, {
    repair: 'resume-workflow',
    reason,
  });
  return outcome(true, 'resumed its acceptance wait');
}

export async function finaliseStuckTransfer(
  deps: OperationsDependencies,
  transfer: RepairTarget,
  reason: string,
  actor: string,
): Promise<RepairOutcome> {
  const key = keyOf(transfer);
  await deps.executions.stop(transfer.id, transfer.workflowRun, reason);
  const stored = await deps.storage.transfers.get(key.customerId, key.transferId);
  if (!stored || (stored.status !== 'Accepted' && stored.status !== 'InProgress')) {
    return { repair: 'finalise', changed: false, detail: `it is ${stored?.status ?? 'gone'} now` };
  }
  if (stored.status === 'Accepted') await useCases.startMoving(deps, key);
  const unsettled = stored.lineItems.filter((item) => !isLineItemSettled(item.status));
  for (const item of unsettled) {
    await useCases.failLineItem(deps, {
      ...key,
      lineItemId: item.id,
      error: {
        code: 'MoveWindowPassed',
        description: 'The line item could not be moved within 72 hours of acceptance.',
      },
    });
  }
  await auditRepair(deps, transfer, 'finalise', actor, {
    repair: 'finalise',
    reason,
    failedLineItems: unsettled.length,
  });
  await restartWorkflow(deps, transfer, reason, actor);
  const finalised = await useCases.finalise(deps, key);
  return {
    repair: 'finalise',
    changed: true,
    detail: `${finalised.status}: ${finalised.moved} moved, ${finalised.failed} failed (${unsettled.length} ran out of time)`,
  };
}

export function repairTransfer(
  deps: OperationsDependencies,
  transfer: RepairTarget,
  repair: Repair,
  reason: string,
  actor: string,
): Promise<RepairOutcome> {
  switch (repair) {
    case 'expire':
      return expireStuckTransfer(deps, transfer, reason, actor);
    case 'finalise':
      return finaliseStuckTransfer(deps, transfer, reason, actor);
    case 'restart-workflow':
      return restartWorkflow(deps, transfer, reason, actor);
    case 'resume-workflow':
      return resumeAcceptedTransfer(deps, transfer, reason, actor);
  }
}
