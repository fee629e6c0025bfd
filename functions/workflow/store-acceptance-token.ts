// AwaitAcceptance's Lambda (.waitForTaskToken): hands the task token to the await-acceptance use case.
import * as z from 'zod';
import { awaitAcceptance } from '#application/await-acceptance.ts';
import { taskDependencies } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import { TRANSFER_TASK_INPUT } from './task-inputs.ts';

export const STORE_ACCEPTANCE_TOKEN_INPUT = TRANSFER_TASK_INPUT.extend({
  taskToken: z.string().min(1).max(2048),
  acceptanceTimeoutSeconds: z.number().int().positive().optional(),
});

export const handler = defineWorkflowTask('storeAcceptanceToken', STORE_ACCEPTANCE_TOKEN_INPUT, (input) =>
  awaitAcceptance(taskDependencies(), input),
);
