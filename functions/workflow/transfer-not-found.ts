// A task that finds no transfer cannot do anything useful: the execution fails with this name.
import { namedError } from './task-handler.ts';

export const TRANSFER_NOT_FOUND = 'TransferNotFound';

export function transferNotFound(customerId: string, transferId: string): Error {
  return namedError(TRANSFER_NOT_FOUND, `Transfer ${transferId} of customer ${customerId} does not exist.`);
}
