// AwaitAcceptance's Lambda (.waitForTaskToken): hands the task token to the await-acceptance use case.
import { awaitAcceptance } from '#application/await-acceptance.ts';
import { transfersFromEnvironment } from './dependencies.ts';
import { defineWorkflowTask } from './task-handler.ts';
import {
  fieldsOf,
  integerField,
  parseTransferTaskInput,
  stringField,
  type TaskInputParser,
  type TransferTaskInput,
} from './task-inputs.ts';

export interface StoreAcceptanceTokenInput extends TransferTaskInput {
  taskToken: string;
  acceptanceTimeoutSeconds?: number;
}

export const parseStoreAcceptanceTokenInput: TaskInputParser<StoreAcceptanceTokenInput> = (payload) => {
  const fields = fieldsOf(payload);
  return {
    ...parseTransferTaskInput(payload),
    taskToken: stringField(fields, 'taskToken', 2048),
    ...(fields.acceptanceTimeoutSeconds === undefined
      ? {}
      : { acceptanceTimeoutSeconds: integerField(fields, 'acceptanceTimeoutSeconds', 1) }),
  };
};

export const handler = defineWorkflowTask('storeAcceptanceToken', parseStoreAcceptanceTokenInput, (input) =>
  awaitAcceptance({ storage: { transfers: transfersFromEnvironment() } }, input),
);
