// CloseUnaccepted: the transfer ended Canceled or Expired (application/close-unaccepted-transfer.ts).
import { closeUnacceptedTransfer } from '#application/close-unaccepted-transfer.ts';
import {
  auditFromEnvironment,
  claimReleasesFromEnvironment,
  transfersFromEnvironment,
} from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { parseTransferTaskInput } from './task-inputs.ts';

export const handler = defineWorkflowTask('closeUnacceptedTransfer', parseTransferTaskInput, (input) =>
  closeUnacceptedTransfer(
    {
      storage: {
        transfers: transfersFromEnvironment(),
        subscriptions: claimReleasesFromEnvironment(),
        audit: auditFromEnvironment(),
      },
    },
    input,
  ),
);
