// POST …/transfers/{transferId}/submit and its alias POST …/accept (the reference's legacy accept): the source
// partner's admin agent accepts the transfer with its line items (200).
import { defineTransferStatusChangeHandler } from './transfer-write-handler.ts';

export const handler = defineTransferStatusChangeHandler('submit');
