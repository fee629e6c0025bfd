// StartMoving: the source accepted; answers the line items to move (application/start-moving.ts).
import { startMoving } from '#application/start-moving.ts';
import { auditFromEnvironment, systemClock, transfersFromEnvironment } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { parseTransferTaskInput } from './task-inputs.ts';

export const handler = defineWorkflowTask('startMoving', parseTransferTaskInput, (input) =>
  startMoving(
    { storage: { transfers: transfersFromEnvironment(), audit: auditFromEnvironment() }, now: systemClock },
    input,
  ),
);
