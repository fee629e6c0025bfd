// FinaliseTransfer: every line item is settled (application/finalise-transfer.ts).
import { finaliseTransfer } from '#application/finalise-transfer.ts';
import {
  auditFromEnvironment,
  claimReleasesFromEnvironment,
  systemClock,
  transfersFromEnvironment,
} from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { parseTransferTaskInput } from './task-inputs.ts';

export const handler = defineWorkflowTask('finaliseTransfer', parseTransferTaskInput, (input) =>
  finaliseTransfer(
    {
      storage: {
        transfers: transfersFromEnvironment(),
        subscriptions: claimReleasesFromEnvironment(),
        audit: auditFromEnvironment(),
      },
      now: systemClock,
    },
    input,
  ),
);
