// MoveLineItem (one Map iteration): moves one line item's subscription (application/move-line-item.ts).
import { moveLineItem } from '#application/move-line-item.ts';
import { taskDependencies } from './dependencies.ts';
import { moverFromEnvironment } from './mover-from-environment.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { LINE_ITEM_TASK_INPUT } from './task-inputs.ts';

export const handler = defineWorkflowTask('moveLineItem', LINE_ITEM_TASK_INPUT, (input) =>
  moveLineItem({ ...taskDependencies(), mover: moverFromEnvironment() }, input),
);
