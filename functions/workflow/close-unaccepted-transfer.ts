// CloseUnaccepted: the transfer ended Canceled or Expired (application/close-unaccepted-transfer.ts).
import { closeUnacceptedTransfer } from '#application/close-unaccepted-transfer.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const handler = defineWorkflowTask('closeUnacceptedTransfer', TRANSFER_TASK_INPUT, (input) =>
  closeUnacceptedTransfer(taskDependencies(), input),
);
