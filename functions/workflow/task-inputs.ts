// The payloads the state machine sends to the tasks (see statemachines/transfer.asl.json).
import * as z from 'zod';

const id = z.string().min(1).max(256);

export const TRANSFER_TASK_INPUT = z.object({ customerId: id, transferId: id });
export type TransferTaskInput = z.output<typeof TRANSFER_TASK_INPUT>;

export const LINE_ITEM_TASK_INPUT = TRANSFER_TASK_INPUT.extend({ lineItemId: id });
export type LineItemTaskInput = z.output<typeof LINE_ITEM_TASK_INPUT>;
