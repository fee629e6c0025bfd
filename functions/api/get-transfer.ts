// GET /v1/customers/{customerId}/transfers/{transferId}: the transfer with its line items and progress, for its
// source and target partners (any role) and a reseller named as partner of record. Anyone else gets the same 404 as
// for a transfer that does not exist. Reads DynamoDB only; never asks the workflow.

import { DomainError, failure, unwrap } from '#domain/errors.ts';
import { readTransfer } from '#domain/transfer-commands.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { READ_ROUTE_SCHEMAS } from './schemas/read-route-schemas.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';
import { transferRepresentation } from './transfer-representation.ts';

const storage = storageFromEnvironment();

export const handler = defineApiHandler(
  { params: READ_ROUTE_SCHEMAS.getTransfer.params },
  async ({ caller, params }) => {
    const transfer = await storage.transfers.get(params.customerId, params.transferId);
    if (!transfer) throw new DomainError(failure('TransferNotFound'));
    const isSourceOrTarget =
      caller.tenantId === transfer.sourcePartnerTenantId ||
      caller.tenantId === transfer.targetPartnerTenantId;
    // Only a reseller can be a party without being source or target; spare the directory read otherwise.
    const callerPartner = isSourceOrTarget ? undefined : await storage.directory.getPartner(caller.tenantId);
    const visible = unwrap(readTransfer({ caller, transfer, callerPartner }));
    return { statusCode: 200, body: transferRepresentation(visible) };
  },
);
