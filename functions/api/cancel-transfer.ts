// POST …/transfers/{transferId}/cancel and its alias DELETE …/transfers/{transferId}: the target partner's admin
// agent cancels a pending transfer (200 with the Canceled transfer, on both routes).
import { defineCancelHandler } from './transfer-write-handler.ts';

export const handler = defineCancelHandler();
