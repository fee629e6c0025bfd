// The API's use cases as one object: what a write handler receives. Each method is one module of this folder.
import type { Transfer } from '#domain/model.ts';
import { acceptTransferAsSource } from './accept-transfer.ts';
import { cancelTransferAsTarget } from './cancel-transfer.ts';
import {
  type CreateTransferInput,
  type CreateTransferOutcome,
  createTransferForCustomer,
} from './create-transfer.ts';
import type { TransferWriteDependencies } from './dependencies.ts';
import { patchTransfer, type TransferPatchInput } from './patch-transfer.ts';
import type { TransferHeader } from './ports.ts';
import { type SetLineItemsInput, setLineItems } from './set-line-items.ts';
import type { TransferActionInput } from './transfer-action.ts';

export interface TransferWriteService {
  /** Target admin agent: a new Active transfer (or the one an earlier attempt with the same MS-RequestId made). */
  create(input: CreateTransferInput): Promise<CreateTransferOutcome>;
  /** Source admin agent, while Active: replaces the line items (all or nothing; refusals per item). */
  setLineItems(input: SetLineItemsInput): Promise<Transfer>;
  /**
   * Source admin agent, while Active and before expirationTime: Active -> Accepted, resumes the workflow. Resolves
   * the accepted header with its line item count: it reads no line item (POST …/submit answers 202 from it).
   */
  submit(input: TransferActionInput): Promise<TransferHeader>;
  /** Target admin agent, while Active: Active -> Canceled, resumes the workflow, releases the claims. */
  cancel(input: TransferActionInput): Promise<Transfer>;
  /** The reference PATCH forms (see patch-transfer.ts). */
  patch(input: TransferPatchInput): Promise<Transfer>;
}

export function createTransferWriteService(deps: TransferWriteDependencies): TransferWriteService {
  return {
    create: (input) => createTransferForCustomer(deps, input),
    setLineItems: (input) => setLineItems(deps, input),
    submit: (input) => acceptTransferAsSource(deps, input),
    cancel: (input) => cancelTransferAsTarget(deps, input),
    patch: (input) => patchTransfer(deps, input),
  };
}
