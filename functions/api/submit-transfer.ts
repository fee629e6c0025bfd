// POST …/transfers/{transferId}/submit and its alias POST …/accept (the reference's legacy accept): the source
// partner's admin agent accepts the transfer with the line items it set (202, the transfer without its line items).
import { defineSubmitHandler } from './transfer-write-handler.ts';

export const handler = defineSubmitHandler();
