// Creating a transfer: the target partner's admin agent asks the source partner to hand over a customer.
//
// Steps, each safe to repeat (no transactions):
//   1. authorize (no reads of the customer's data for a caller who may not create)
//   2. with MS-RequestId: the transfer id is derived from (tenant, customer, request id); if that transfer exists,
//      this is a retry of a create that already wrote it: skip to 5
//   3. load the facts and let the domain build the transfer (prerequisites, path, partner of record)
//   4. write it (conditional on the id being new)
//   5. audit entry for the target, then start the workflow (idempotent: the execution is named after the transfer)
// A crash after 4 leaves a transfer whose retry (same MS-RequestId) completes 5.

import { authorizeCreateTransfer } from '#domain/authorization.ts';
import { unwrap } from '#domain/errors.ts';
import type { Caller, CreateTransferRequest, Partner, Transfer } from '#domain/model.ts';
import { createTransfer } from '#domain/transfer-commands.ts';
import { ApiError } from '#shared/http/api-error.ts';
import { recordTransferCreated } from '#shared/observability/transfer-metrics.ts';
import { appendAudit } from './audit-trail.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import { AlreadyExistsError } from './storage-errors.ts';
import { listAll, loadCallerPartner, needsPartnerDirectory, partnersByPartnerId } from './transfer-facts.ts';
import { newTransferId } from './transfer-ids.ts';

export interface CreateTransferInput {
  caller: Caller;
  customerId: string;
  request: CreateTransferRequest;
  /** MS-RequestId; makes the transfer id deterministic. */
  requestId?: string;
}

export interface CreateTransferOutcome {
  transfer: Transfer;
  /** false when an earlier attempt with the same MS-RequestId had created it already. */
  created: boolean;
}

const sameOptional = <T>(stored: T | undefined, requested: T | undefined) =>
  requested === undefined || stored === requested;

/** Whether a stored transfer is what this create request would have made (a retry), as far as the request says. */
function isSameCreation(stored: Transfer, caller: Caller, request: CreateTransferRequest): boolean {
  const requestedTypes = [...new Set(request.targetProductTypes ?? [])].sort();
  const storedTypes = [...(stored.targetProductTypes ?? [])].sort();
  return (
    stored.targetPartnerTenantId === caller.tenantId &&
    stored.sourcePartnerTenantId === request.sourcePartnerTenantId &&
    stored.customerEmailId === request.customerEmailId &&
    sameOptional(stored.customerName, request.customerName) &&
    sameOptional(stored.targetPartnerEmailId, request.targetPartnerEmailId) &&
    sameOptional(stored.partnerOnRecord, request.partnerOnRecord) &&
    requestedTypes.join(',') === storedTypes.join(',')
  );
}

const requestIdReusedForAnotherTransfer = () =>
  new ApiError(
    422,
    'RequestIdReused',
    'This MS-RequestId already created a different transfer. Send a new request with a new MS-RequestId.',
    [
      {
        field: 'header.MS-RequestId',
        code: 'RequestIdReused',
        description: 'already created another transfer',
      },
    ],
  );

async function loadCreationFacts(
  deps: TransferWriteDependencies,
  input: CreateTransferInput,
  callerPartner: Partner | undefined,
) {
  const { storage } = deps;
  const { customerId, request, caller } = input;
  const [sourcePartner, targetRelationship, sourceRelationship] = await Promise.all([
    storage.directory.getPartner(request.sourcePartnerTenantId),
    storage.directory.getRelationship(customerId, caller.tenantId),
    storage.directory.getRelationship(customerId, request.sourcePartnerTenantId),
  ]);
  // Only "does the source bill anything of this customer" is asked of the subscriptions: stop at the first page
  // that answers it.
  const customerSubscriptions = await listAll(
    (page) => storage.subscriptions.listByCustomer(customerId, page),
    (items) =>
      items.some((subscription) => subscription.billingPartnerTenantId === request.sourcePartnerTenantId),
  );
  const directory =
    callerPartner && needsPartnerDirectory([request.partnerOnRecord], callerPartner)
      ? await partnersByPartnerId(storage)
      : undefined;
  return {
    callerPartner,
    sourcePartner,
    targetRelationship,
    sourceRelationship,
    customerSubscriptions,
    partnerById: (partnerId: string) => directory?.get(partnerId),
  };
}

/** Step 5: the parts of a creation that come after the transfer is stored. */
async function announceCreation(deps: TransferWriteDependencies, transfer: Transfer, caller: Caller) {
  await appendAudit(deps.storage, transfer, 'TransferCreated', caller.userId, transfer.createdTime);
  await deps.workflow.start({ customerId: transfer.customerTenantId, transferId: transfer.id });
}

async function completeEarlierCreation(
  deps: TransferWriteDependencies,
  stored: Transfer,
  input: CreateTransferInput,
): Promise<CreateTransferOutcome> {
  if (!isSameCreation(stored, input.caller, input.request)) throw requestIdReusedForAnotherTransfer();
  await announceCreation(deps, stored, input.caller);
  return { transfer: stored, created: false };
}

export async function createTransferForCustomer(
  deps: TransferWriteDependencies,
  input: CreateTransferInput,
): Promise<CreateTransferOutcome> {
  const { storage } = deps;
  const { caller, customerId, request, requestId } = input;

  // 1. Who may create is decided before anything about the customer is read.
  const callerPartner = await loadCallerPartner(storage, caller);
  unwrap(authorizeCreateTransfer(caller, callerPartner, request.targetPartnerTenantId));

  // 2. A retry of a create that got as far as writing the transfer.
  const id = newTransferId(requestId, caller.tenantId, customerId);
  if (requestId !== undefined) {
    const stored = await storage.transfers.get(customerId, id);
    if (stored) return completeEarlierCreation(deps, stored, input);
  }

  // 3. The domain decides.
  const facts = await loadCreationFacts(deps, input, callerPartner);
  const transfer = unwrap(
    createTransfer({
      ...facts,
      caller,
      customerId,
      request,
      id,
      now: deps.now(),
      acceptanceWindowDays: deps.acceptanceWindowDays,
    }),
  );

  // 4. Conditional write: a concurrent attempt of the same request may have won it.
  try {
    await storage.transfers.create(transfer);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError) || requestId === undefined) throw error;
    const stored = await storage.transfers.get(customerId, id);
    if (!stored) throw error;
    return completeEarlierCreation(deps, stored, input);
  }

  recordTransferCreated();
  // 5.
  await announceCreation(deps, transfer, caller);
  return { transfer, created: true };
}
