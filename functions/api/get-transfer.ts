// GET /v1/customers/{customerId}/transfers/{transferId}: the transfer with its line items and progress, for its
// source and target partners (any role) and a reseller named as partner of record. Anyone else gets the same 404 as
// for a transfer that does not exist. Reads DynamoDB only; never asks the workflow.

import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import { TransferQueries } from '#adapters/transfer-queries.ts';
import { DomainError, failure, unwrap } from '#domain/errors.ts';
import { readTransfer } from '#domain/transfer-commands.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { TRANSFER_PARAMS_SCHEMA } from './schemas/common-schemas.ts';
import { tableFromEnvironment } from './table-from-environment.ts';
import { transferRepresentation } from './transfer-representation.ts';

const { documentClient, tableName } = tableFromEnvironment();
const transfers = new TransferQueries(documentClient, tableName);
const directory = new DynamoDbDirectoryRepository(documentClient, tableName);

export const handler = defineApiHandler({ params: TRANSFER_PARAMS_SCHEMA }, async ({ caller, params }) => {
  const transfer = await transfers.get(params.customerId, params.transferId);
  if (!transfer) throw new DomainError(failure('TransferNotFound'));
  const isSourceOrTarget =
    caller.tenantId === transfer.sourcePartnerTenantId || caller.tenantId === transfer.targetPartnerTenantId;
  // Only a reseller can be a party without being source or target; spare the directory read otherwise.
  const callerPartner = isSourceOrTarget ? undefined : await directory.getPartner(caller.tenantId);
  const visible = unwrap(readTransfer({ caller, transfer, callerPartner }));
  return { statusCode: 200, body: transferRepresentation(visible) };
});
