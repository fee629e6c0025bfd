// MoveLineItem (one Map iteration): moves one line item's subscription (application/move-line-item.ts).

import { lineItemSetRef } from '#adapters/transfer-line-item-store.ts';
import { moveLineItem } from '#application/move-line-item.ts';
import { taskDependencies } from './dependencies.ts';
import { moverFromEnvironment } from './mover-from-environment.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { MOVE_TASK_INPUT } from './task-inputs.ts';

export const handler = defineWorkflowTask('moveLineItem', MOVE_TASK_INPUT, ({ move, ...item }) =>
  moveLineItem(
    { ...taskDependencies(), mover: moverFromEnvironment() },
    move ? { ...item, move: { ...move, lineItemSet: lineItemSetRef(move.lineItemSet) } } : item,
  ),
);
