// The application layer between the write handlers and domain/storage/workflow: each operation loads the facts,
// calls the pure domain command, persists with conditional writes in a crash-safe order, resumes the workflow and
// writes the audit entries. Handlers only parse, call one of these and render the result.
import type { Transfer } from '#domain/model.ts';
import {
  type CreateTransferInput,
  type CreateTransferOutcome,
  createTransferForCustomer,
} from './create-transfer.ts';
import type { TransferServiceDependencies } from './dependencies.ts';
import { patchTransfer, type TransferPatchInput } from './patch-transfer.ts';
import { type SetLineItemsInput, setLineItems } from './set-line-items.ts';
import { cancelTransferAsTarget, submitTransferAsSource } from './status-changes.ts';
import type { TransferActionInput } from './transfer-action.ts';

export type { CreateTransferInput, CreateTransferOutcome } from './create-transfer.ts';
export {
  type TransferServiceDependencies,
  transferServiceDependenciesFromEnvironment,
} from './dependencies.ts';
export type { TransferPatchInput, TransferPatchStatus } from './patch-transfer.ts';
export type { SetLineItemsInput } from './set-line-items.ts';
export type { TransferActionInput } from './transfer-action.ts';

export interface TransferWriteService {
  /** Target admin agent: a new Active transfer (or the one an earlier attempt with the same MS-RequestId made). */
  create(input: CreateTransferInput): Promise<CreateTransferOutcome>;
  /** Source admin agent, while Active: replaces the line items (all or nothing; refusals per item). */
  setLineItems(input: SetLineItemsInput): Promise<Transfer>;
  /** Source admin agent, while Active and before expirationTime: Active -> Accepted, resumes the workflow. */
  submit(input: TransferActionInput): Promise<Transfer>;
  /** Target admin agent, while Active: Active -> Canceled, resumes the workflow, releases the claims. */
  cancel(input: TransferActionInput): Promise<Transfer>;
  /** The reference PATCH forms (see patch-transfer.ts). */
  patch(input: TransferPatchInput): Promise<Transfer>;
}

export function createTransferWriteService(deps: TransferServiceDependencies): TransferWriteService {
  return {
    create: (input) => createTransferForCustomer(deps, input),
    setLineItems: (input) => setLineItems(deps, input),
    submit: (input) => submitTransferAsSource(deps, input),
    cancel: (input) => cancelTransferAsTarget(deps, input),
    patch: (input) => patchTransfer(deps, input),
  };
}
