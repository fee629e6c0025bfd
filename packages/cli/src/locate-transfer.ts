// The API addresses a transfer under its customer; commands take the transfer id alone (and --customer to skip the
// lookup), so this finds the customer in the caller's outbox or inbox.
import type { PartnerTransfersClient } from '@partner-transfers/client';
import { CliError, EXIT } from './exit-codes.ts';

export async function customerOfTransfer(
  client: PartnerTransfersClient,
  transferId: string,
  customer: string | undefined,
): Promise<string> {
  if (customer) return customer;
  const found = await client.findTransfer(transferId);
  if (!found) {
    throw new CliError(
      `Transfer ${transferId} is not in your inbox or outbox. Check the id, or pass --customer <customer id>.`,
      EXIT.refused,
    );
  }
  return found.customerTenantId;
}
