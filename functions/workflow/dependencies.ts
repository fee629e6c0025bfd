// What the workflow tasks need, wired from the environment once per container. Each task takes its dependencies as
// an argument (tests pass their own) and its `handler` uses these. What only one task needs has its own module
// (mover-from-environment.ts, notification-settings.ts), so the other tasks' bundles leave it out (SES, faults).
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import type { UseCaseDependencies } from '#application/dependencies.ts';
import type { Clock, Storage } from '#application/ports.ts';
import { EMAIL_STALE_CLAIM_SECONDS, loadConfig, TABLE_NAME } from '#shared/config.ts';
import { onceFor } from './task-handler.ts';

/** The use cases' dependencies, with all of storage (notifications also use the email markers). */
export interface TaskDependencies extends UseCaseDependencies {
  storage: Storage;
}

export const systemClock: Clock = () => new Date();

/** The variables a client's configuration depends on. */
export const AWS_CLIENT_VARIABLES = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID'] as const;
export const STORAGE_VARIABLES = [
  ...AWS_CLIENT_VARIABLES,
  'AWS_ENDPOINT_URL_DYNAMODB',
  'TABLE_NAME',
  'EMAIL_STALE_CLAIM_SECONDS',
];

export const storageFromEnvironment = onceFor(STORAGE_VARIABLES, (): Storage => {
  const config = loadConfig([TABLE_NAME, EMAIL_STALE_CLAIM_SECONDS]);
  return createDynamoDbStorage({
    tableName: config.TABLE_NAME,
    ...(config.EMAIL_STALE_CLAIM_SECONDS === undefined
      ? {}
      : { emailMarkers: { staleClaimSeconds: config.EMAIL_STALE_CLAIM_SECONDS } }),
  });
});

export function taskDependencies(): TaskDependencies {
  return { storage: storageFromEnvironment(), now: systemClock };
}
