// After a restart of the local cloud on a data folder, or a restore of the table, no execution is running for the
// transfers in it: start one again for every transfer that is not finished (Active, Accepted, InProgress). This is always safe because the workflow routes by the status stored
// in DynamoDB and every task is idempotent:
// - Active: the creation emails are not sent again (creationNotified, email markers); the new acceptance wait stores
//   a new task token over the dead one (a submit that still finds the dead token wins its conditional status change
//   anyway, and the new wait then sees the transfer is no longer Active and moves on);
// - Accepted / InProgress: start-moving answers the line items not yet settled; a subscription moved just before the
//   stop counts as moved (alreadyMoved), so nothing moves twice; finalise and the completion emails happen once.
// The execution is named after the transfer and its current run, so starting twice finds the running one.

import { forEachConcurrently } from '#application/for-each-concurrently.ts';
import type { Storage, TransferWorkflow } from '#application/ports.ts';
import { OPEN_TRANSFER_STATUSES } from '#domain/lifecycle.ts';

/** Starts in flight at once: a restart with many open transfers is not held up by one round trip each. */
const RESUME_CONCURRENCY = 8;

export interface ResumeOptions {
  /** Where to report a transfer whose workflow could not be started (the others are resumed regardless). */
  log?: (line: string) => void;
}

/** Resolves how many workflows were started again. */
export async function resumeOpenTransfers(
  {
    storage,
    workflow,
  }: { storage: Pick<Storage, 'openTransfers'>; workflow: Pick<TransferWorkflow, 'start'> },
  options: ResumeOptions = {},
): Promise<number> {
  let resumed = 0;
  // The open-transfers index lists each unfinished transfer once, under its status, with its current run.
  for (const status of OPEN_TRANSFER_STATUSES) {
    let continuationToken: string | undefined;
    do {
      const page = await storage.openTransfers.list(status, {
        limit: 100,
        ...(continuationToken ? { continuationToken } : {}),
      });
      await forEachConcurrently(page.items, RESUME_CONCURRENCY, async (transfer) => {
        try {
          await workflow.start({
            customerId: transfer.customerTenantId,
            transferId: transfer.id,
            run: transfer.workflowRun,
          });
          resumed += 1;
        } catch (error) {
          options.log?.(
            `Could not resume transfer ${transfer.id}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      });
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
  return resumed;
}
