// AwaitAcceptance's Lambda (.waitForTaskToken): hands the task token to the await-acceptance use case.
import { awaitAcceptance } from '#application/await-acceptance.ts';
import * as z from '#shared/zod.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const STORE_ACCEPTANCE_TOKEN_INPUT = z.extend(TRANSFER_TASK_INPUT, {
  taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
  acceptanceTimeoutSeconds: z.optional(z.int().check(z.positive())),
});

export const handler = defineWorkflowTask('storeAcceptanceToken', STORE_ACCEPTANCE_TOKEN_INPUT, (input) =>
  awaitAcceptance(taskDependencies(), input),
);
