// What the workflow tasks need, wired from the environment once per container. Each task takes its dependencies as
// an argument (tests pass their own) and its `handler` uses these.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { withSandboxMoveFaults } from '#adapters/sandbox-move-faults.ts';
import { createSesEmailSender, type EmailSender } from '#adapters/ses-email-sender.ts';
import type { UseCaseDependencies } from '#application/dependencies.ts';
import type { Clock, Storage } from '#application/ports.ts';
import { RepositorySubscriptionMover, type SubscriptionMover } from '#application/subscription-mover.ts';
import { loadConfig } from '#shared/config.ts';
import { onceFor } from './task-handler.ts';

/** The use cases' dependencies, with all of storage (notifications also use the email markers). */
export interface TaskDependencies extends UseCaseDependencies {
  storage: Storage;
}

export const systemClock: Clock = () => new Date();

/** The variables a client's configuration depends on. */
const AWS_CLIENT_VARIABLES = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID'] as const;
const STORAGE_VARIABLES = [
  ...AWS_CLIENT_VARIABLES,
  'AWS_ENDPOINT_URL_DYNAMODB',
  'TABLE_NAME',
  'EMAIL_STALE_CLAIM_SECONDS',
];

export const storageFromEnvironment = onceFor(STORAGE_VARIABLES, (): Storage => {
  const config = loadConfig(['TABLE_NAME', 'EMAIL_STALE_CLAIM_SECONDS']);
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

/** The real mover, wrapped with sandbox faults only on the local stage (see sandbox-move-faults.ts). */
export const moverFromEnvironment = onceFor(
  [...STORAGE_VARIABLES, 'DEPLOYMENT_STAGE', 'SANDBOX_MOVE_FAULTS'],
  (): SubscriptionMover => {
    const config = loadConfig(['DEPLOYMENT_STAGE', 'SANDBOX_MOVE_FAULTS']);
    return withSandboxMoveFaults(new RepositorySubscriptionMover(storageFromEnvironment().subscriptions), {
      stage: config.DEPLOYMENT_STAGE,
      faults: config.SANDBOX_MOVE_FAULTS,
    });
  },
);

export interface NotificationSettings {
  sender: EmailSender;
  /** The console's base URL: every email links to its page of the transfer. */
  consoleUrl: string;
}

export const notificationSettingsFromEnvironment = onceFor(
  [...AWS_CLIENT_VARIABLES, 'AWS_ENDPOINT_URL_SES', 'SES_SENDER_ADDRESS', 'CONSOLE_URL'],
  (): NotificationSettings => {
    const config = loadConfig(['SES_SENDER_ADDRESS', 'CONSOLE_URL']);
    return {
      sender: createSesEmailSender({ sender: config.SES_SENDER_ADDRESS }),
      consoleUrl: config.CONSOLE_URL,
    };
  },
);
