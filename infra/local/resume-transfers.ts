// After a restart on a data folder no execution is running any more: start one again for every transfer that is
// not finished. The workflow routes by the stored status, so this is always safe.
import type { Storage, TransferHeader } from '#adapters/ports.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import type { TransferStatus } from '#domain/model.ts';

const UNFINISHED: readonly TransferStatus[] = ['Active', 'Accepted', 'InProgress'];

async function unfinishedTransfersOf(storage: Storage, tenantId: string): Promise<TransferHeader[]> {
  const found: TransferHeader[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await storage.transfers.listForPartner(tenantId, 'outgoing', {
      status: UNFINISHED,
      limit: 100,
      ...(continuationToken ? { continuationToken } : {}),
    });
    found.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return found;
}

export async function resumeOpenTransfers(storage: Storage, stateMachineArn: string): Promise<number> {
  const workflow = createTransferWorkflow(stateMachineArn);
  let resumed = 0;
  let continuationToken: string | undefined;
  do {
    const partners = await storage.directory.listPartners({
      limit: 100,
      ...(continuationToken ? { continuationToken } : {}),
    });
    for (const partner of partners.items) {
      for (const transfer of await unfinishedTransfersOf(storage, partner.tenantId)) {
        await workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });
        resumed += 1;
      }
    }
    continuationToken = partners.continuationToken;
  } while (continuationToken);
  return resumed;
}
