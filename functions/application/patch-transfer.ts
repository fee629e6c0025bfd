// PATCH /v1/customers/{customerId}/transfers/{transferId}: the reference system's update forms, each mapped onto
// the same code as the explicit actions.
//
//   { "status": "Cancel", ... }                 target cancels             = POST …/cancel
//   { "lineItems": [...], ... }                 source sets line items     (then POST …/submit to accept)
//   { "status": "Accepted", "lineItems": [...] } source sets and submits   = PATCH lineItems + POST …/submit
//   { "status": "Accepted" }                    source submits as is       = POST …/submit
//
// Choice: in the reference, the source's PATCH with line items is its acceptance. Here the line items and the
// acceptance are separate steps (the source may review refused items and change them before accepting), so a
// PATCH with line items only sets them, and "status": "Accepted" in the same body accepts at once. A reference
// client that echoes "status": "Active" from GET sets the line items without accepting.
// With "Cancel", line items in the body are ignored (the reference echoes the whole transfer).
import type { LineItemRequest, Transfer } from '#domain/model.ts';
import { ApiError } from '#shared/http/api-error.ts';
import { acceptTransferAsSource } from './accept-transfer.ts';
import { cancelTransferAsTarget } from './cancel-transfer.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import { type SetLineItemsInput, setLineItems } from './set-line-items.ts';
import type { TransferActionInput } from './transfer-action.ts';
import { requireTransfer } from './transfer-facts.ts';

export type TransferPatchStatus = 'Active' | 'Accepted' | 'Cancel';

export interface TransferPatchInput extends TransferActionInput {
  status?: TransferPatchStatus;
  lineItems?: readonly LineItemRequest[];
}

const nothingToUpdate = () =>
  new ApiError(
    400,
    'NothingToUpdate',
    'The body must carry lineItems (source partner) or a status of "Cancel" (target partner) or "Accepted" ' +
      '(source partner).',
    [{ field: 'body.lineItems', code: 'NothingToUpdate', description: 'lineItems or status is required' }],
  );

export async function patchTransfer(
  deps: TransferWriteDependencies,
  input: TransferPatchInput,
): Promise<Transfer> {
  const { status, lineItems, ...action } = input;
  if (status === 'Cancel') return cancelTransferAsTarget(deps, action);
  if (lineItems !== undefined) {
    const withItems: SetLineItemsInput = { ...action, lineItems };
    const updated = await setLineItems(deps, withItems);
    return status === 'Accepted' ? acceptAndReadBack(deps, action) : updated;
  }
  if (status === 'Accepted') return acceptAndReadBack(deps, action);
  throw nothingToUpdate();
}

/** The reference's PATCH answers with the whole transfer (its request carries the line items anyway). */
async function acceptAndReadBack(deps: TransferWriteDependencies, action: TransferActionInput) {
  const accepted = await acceptTransferAsSource(deps, action);
  return requireTransfer(deps.storage, accepted.customerTenantId, accepted.id);
}
