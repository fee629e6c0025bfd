// MoveLineItem (one Map iteration): moves one line item's subscription (application/move-line-item.ts).

import { lineItemSetRef } from '#adapters/transfer-line-item-store.ts';
import { moveLineItem } from '#application/move-line-item.ts';
import { systemClock, transfersFromEnvironment } from './dependencies.ts';
import { moverFromEnvironment } from './mover-from-environment.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { parseMoveTaskInput } from './task-inputs.ts';

export const handler = defineWorkflowTask('moveLineItem', parseMoveTaskInput, ({ move, ...item }) =>
  moveLineItem(
    { storage: { transfers: transfersFromEnvironment() }, now: systemClock, mover: moverFromEnvironment() },
    move ? { ...item, move: { ...move, lineItemSet: lineItemSetRef(move.lineItemSet) } } : item,
  ),
);
