// What the use cases work with. The API and the workflow wire these from the environment once per container
// (api/transfer-write-handler.ts, workflow/dependencies.ts); unit tests pass in-memory fakes.

import type { Clock, Storage, TransferWorkflow } from './ports.ts';

/** The storage the use cases touch (idempotency and email markers belong to the HTTP and notify adapters). */
export type UseCaseStorage = Pick<Storage, 'directory' | 'subscriptions' | 'transfers' | 'audit'>;

/** Every use case reads and writes storage and reads the clock. */
export interface UseCaseDependencies {
  storage: UseCaseStorage;
  now: Clock;
}

/**
 * A use case's dependencies with only the storage ports it touches, so that a workflow task wires (and bundles) just
 * those repositories.
 */
export interface UseCaseDependenciesWith<Ports extends keyof UseCaseStorage> {
  storage: Pick<UseCaseStorage, Ports>;
  now: Clock;
}

/** The API's use cases also start and resume the workflow, and know the acceptance window. */
export interface TransferWriteDependencies extends UseCaseDependencies {
  workflow: TransferWorkflow;
  /** Days the source has to submit (ACCEPTANCE_WINDOW_DAYS). */
  acceptanceWindowDays: number;
}
