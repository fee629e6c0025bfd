// MoveLineItem's mover, wired from the environment once per container.
import { withSandboxMoveFaults } from '#adapters/sandbox-move-faults.ts';
import { RepositorySubscriptionMover, type SubscriptionMover } from '#application/subscription-mover.ts';
import { DEPLOYMENT_STAGE, loadConfig, SANDBOX_MOVE_FAULTS } from '#shared/config.ts';
import { STORAGE_VARIABLES, subscriptionsFromEnvironment } from './dependencies.ts';
import { onceFor } from './task-handler.ts';

/** The real mover, wrapped with sandbox faults only on the local stage (see sandbox-move-faults.ts). */
export const moverFromEnvironment = onceFor(
  [...STORAGE_VARIABLES, 'DEPLOYMENT_STAGE', 'SANDBOX_MOVE_FAULTS'],
  (): SubscriptionMover => {
    const config = loadConfig([DEPLOYMENT_STAGE, SANDBOX_MOVE_FAULTS]);
    return withSandboxMoveFaults(new RepositorySubscriptionMover(subscriptionsFromEnvironment()), {
      stage: config.DEPLOYMENT_STAGE,
      faults: config.SANDBOX_MOVE_FAULTS,
    });
  },
);
