// ExpireTransfer: the acceptance wait timed out (application/expire-transfer.ts).
import { expireTransfer } from '#application/expire-transfer.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const handler = defineWorkflowTask('expireTransfer', TRANSFER_TASK_INPUT, (input) =>
  expireTransfer(taskDependencies(), input),
);
