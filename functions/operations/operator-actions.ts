// What an operator can do to one transfer (`ops redrive | expire | retry-failed | inspect`). Every action checks the
// domain's rules first and answers a refusal with the domain's error code; every write goes through the same
// repairs and use cases as the reconciler, so it is idempotent and audited (actor `operator:<name>`).
//
// retry-failed reopens a CompletedWithErrors transfer (domain/operator-retry.ts). Order of writes, each repeatable:
//   1. claim each failed item's subscription again (one refused claim leaves that item Failed, with the reason);
//   2. the claimed items back to Pending (conditional: only from Failed);
//   3. the transfer CompletedWithErrors -> InProgress (conditional on the status);
//   4. audit, then the next workflow run, which moves the Pending items and finalises again.
// A crash after 2 leaves Pending items on a finished transfer: a second retry-failed takes them up (lineItemsToRetry);
// a crash after 3 leaves an InProgress transfer without a running execution: the reconciler restarts it.

import type { Storage } from '#application/ports.ts';
import {
  LineItemStatusConflictError,
  SubscriptionConflictError,
  TransferStatusConflictError,
} from '#application/storage-errors.ts';
import { auditRecordsFor } from '#domain/audit.ts';
import { type DomainFailure, failure } from '#domain/errors.ts';
import { isTerminal } from '#domain/lifecycle.ts';
import { lineItemsToRetry, retryFailedItemsRefusal } from '#domain/operator-retry.ts';
import {
  expireStuckTransfer,
  type OperationsDependencies,
  type RepairOutcome,
  restartWorkflow,
} from './repair-transfer.ts';
import type { TransferKey } from './use-cases.ts';

export type OperatorOutcome =
  | { ok: true; changed: boolean; detail: string }
  | { ok: false; refusal: DomainFailure };

const refused = (refusal: DomainFailure): OperatorOutcome => ({ ok: false, refusal });
const done = (outcome: Pick<RepairOutcome, 'changed' | 'detail'>): OperatorOutcome => ({
  ok: true,
  ...outcome,
});

async function openTransferTarget(deps: OperationsDependencies, key: TransferKey) {
  const header = await deps.storage.transfers.getHeader(key.customerId, key.transferId);
  if (!header)
    return {
      refusal: failure('TransferNotFound', `No transfer ${key.transferId} for customer ${key.customerId}.`),
    };
  return { header };
}

export async function redriveTransfer(
  deps: OperationsDependencies,
  key: TransferKey,
  actor: string,
): Promise<OperatorOutcome> {
  const { header, refusal } = await openTransferTarget(deps, key);
  if (!header) return refused(refusal);
  if (isTerminal(header.status)) {
    return refused(
      failure('TransferTerminal', `The transfer is ${header.status}: there is nothing to redrive.`),
    );
  }
  return done(await restartWorkflow(deps, header, 'operator-redrive', actor));
}

export async function expireTransferNow(
  deps: OperationsDependencies,
  key: TransferKey,
  actor: string,
): Promise<OperatorOutcome> {
  const { header, refusal } = await openTransferTarget(deps, key);
  if (!header) return refused(refusal);
  if (header.status === 'Expired') return done({ changed: false, detail: 'it is Expired already' });
  if (header.status !== 'Active') {
    return refused(
      failure('TransferNotActive', `The transfer is ${header.status}: only an Active transfer expires.`),
    );
  }
  if (deps.now().getTime() < Date.parse(header.expirationTime)) {
    return refused(
      failure('TransferNotYetExpired', `Its acceptance window is open until ${header.expirationTime}.`),
    );
  }
  return done(await expireStuckTransfer(deps, header, 'operator-expire', actor));
}

export async function retryFailedLineItems(
  deps: OperationsDependencies & { storage: Pick<Storage, 'subscriptions'> },
  key: TransferKey,
  actor: string,
): Promise<OperatorOutcome> {
  const { storage } = deps;
  const transfer = await storage.transfers.get(key.customerId, key.transferId);
  if (!transfer)
    return refused(
      failure('TransferNotFound', `No transfer ${key.transferId} for customer ${key.customerId}.`),
    );
  const refusal = retryFailedItemsRefusal(transfer, deps.now());
  if (refusal) return refused(refusal);

  const retried: string[] = [];
  const stillFailed: string[] = [];
  for (const item of lineItemsToRetry(transfer)) {
    try {
      await storage.subscriptions.claimForTransfer(
        key.customerId,
        item.subscriptionId,
        transfer.id,
        transfer.sourcePartnerTenantId,
      );
    } catch (error) {
      if (!(error instanceof SubscriptionConflictError)) throw error;
      stillFailed.push(`${item.id} (${error.reason})`);
      continue;
    }
    if (item.status === 'Failed') {
      await storage.transfers
        .updateLineItem(
          key.customerId,
          key.transferId,
          item.id,
          { status: 'Pending', transferError: null },
          {
            statusIn: ['Failed'],
          },
        )
        .catch((error: unknown) => {
          // Pending or Complete already (a repeated retry): nothing to reset.
          if (!(error instanceof LineItemStatusConflictError)) throw error;
        });
    }
    retried.push(item.id);
  }
  if (retried.length === 0) {
    return refused(
      failure('NoFailedLineItemsToRetry', `No failed line item can move again: ${stillFailed.join(', ')}.`),
    );
  }
  try {
    await storage.transfers.changeStatus(key.customerId, key.transferId, {
      from: ['CompletedWithErrors'],
      to: 'InProgress',
      set: { lastModifiedTime: deps.now().toISOString(), lastModifiedUser: actor },
      remove: ['completedTime'],
    });
  } catch (error) {
    if (!(error instanceof TransferStatusConflictError) || error.currentStatus !== 'InProgress') throw error;
  }
  const at = deps.now().toISOString();
  for (const record of auditRecordsFor(transfer, 'TransferRepaired', actor, at, {
    revision: `retry-failed-${transfer.version}`,
    details: { repair: 'retry-failed', lineItems: retried.join(',') },
  })) {
    await storage.audit.append(record);
  }
  const header = await storage.transfers.getHeader(key.customerId, key.transferId);
  await restartWorkflow(
    deps,
    { ...transfer, workflowRun: header?.workflowRun ?? 0 },
    'operator-retry-failed',
    actor,
  );
  return done({
    changed: true,
    detail:
      `retrying ${retried.length} line item(s): ${retried.join(', ')}` +
      (stillFailed.length > 0 ? `; still failed: ${stillFailed.join(', ')}` : ''),
  });
}
