// ExpireTransfer: the acceptance wait timed out (application/expire-transfer.ts).
import { expireTransfer } from '#application/expire-transfer.ts';
import { auditFromEnvironment, systemClock, transfersFromEnvironment } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { parseTransferTaskInput } from './task-inputs.ts';

export const handler = defineWorkflowTask('expireTransfer', parseTransferTaskInput, (input) =>
  expireTransfer(
    { storage: { transfers: transfersFromEnvironment(), audit: auditFromEnvironment() }, now: systemClock },
    input,
  ),
);
