// StartMoving: the source accepted; answers the line items to move (application/start-moving.ts).
import { startMoving } from '#application/start-moving.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const handler = defineWorkflowTask('startMoving', TRANSFER_TASK_INPUT, (input) =>
  startMoving(taskDependencies(), input),
);
