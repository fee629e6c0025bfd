// The payloads the state machine sends to the tasks (see statemachines/transfer.asl.json).
import * as z from '#shared/zod.ts';

const id = z.string().check(z.minLength(1), z.maxLength(256));

export const TRANSFER_TASK_INPUT = z.object({ customerId: id, transferId: id });
export type TransferTaskInput = z.output<typeof TRANSFER_TASK_INPUT>;

export const LINE_ITEM_TASK_INPUT = z.extend(TRANSFER_TASK_INPUT, { lineItemId: id });
export type LineItemTaskInput = z.output<typeof LINE_ITEM_TASK_INPUT>;

/** A move: the line item, and the header's facts StartMoving passed through the Map (absent in older executions). */
export const MOVE_TASK_INPUT = z.extend(LINE_ITEM_TASK_INPUT, {
  move: z.optional(z.object({ fromTenantId: id, toTenantId: id, lineItemSet: z.int().check(z.minimum(0)) })),
});
export type MoveTaskInput = z.output<typeof MOVE_TASK_INPUT>;
