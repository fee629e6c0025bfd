// FinaliseTransfer: every line item is settled (application/finalise-transfer.ts).
import { finaliseTransfer } from '#application/finalise-transfer.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const handler = defineWorkflowTask('finaliseTransfer', TRANSFER_TASK_INPUT, (input) =>
  finaliseTransfer(taskDependencies(), input),
);
