// Cancel (the target withdraws): Active -> Canceled whatever the version (line items do not matter to a cancel),
// then the follow-ups: fail the workflow's acceptance wait, release the claims, append the audit entry.
import type { Transfer } from '#domain/model.ts';
import { cancelTransfer } from '#domain/transfer-commands.ts';
import { recordTransferCanceled } from '#shared/observability/transfer-metrics.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import {
  changeStatusOrRefuse,
  completeCancellation,
  readBack,
  refuseLateCall,
} from './status-change-follow-ups.ts';
import { loadTransferForAction, type TransferActionInput } from './transfer-action.ts';

/** Target withdraws: Active -> Canceled (any version: the line items do not matter to a cancel). */
export async function cancelTransferAsTarget(
  deps: TransferWriteDependencies,
  input: TransferActionInput,
): Promise<Transfer> {
  const { caller } = input;
  const now = deps.now();
  const { transfer, callerPartner } = await loadTransferForAction(deps, input, 'cancel');
  const canceled = cancelTransfer({ caller, callerPartner, transfer, now });
  if (!canceled.ok) return refuseLateCall(deps, transfer, canceled.error);

  const result = await changeStatusOrRefuse(
    deps,
    transfer,
    'Cancel',
    {
      from: ['Active'],
      to: 'Canceled',
      set: {
        lastModifiedTime: canceled.value.lastModifiedTime,
        lastModifiedUser: canceled.value.lastModifiedUser,
      },
    },
    now,
  );
  recordTransferCanceled();
  await completeCancellation(deps, result.transfer, result.acceptanceTaskToken);
  return readBack(deps, result.transfer, { ...canceled.value, version: result.transfer.version });
}
