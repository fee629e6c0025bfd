// The workflow's task functions: one table that the ASL loader checks placeholders against, CDK builds Lambda
// functions from and the local cloud invokes in process.
import type { TableAction } from '#shared/function-access.ts';

export interface WorkflowTaskDefinition {
  /** Stable identifier, used as the function's name locally and its logical id in CDK. */
  id: string;
  /** The `${Placeholder}` in statemachines/transfer.asl.json that receives this function's ARN. */
  placeholder: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** DynamoDB actions on the transfer table (functions/shared/function-access.ts); ses:SendEmail from the sender. */
  access: { table: readonly TableAction[]; sendEmail?: boolean };
}

export const WORKFLOW_TASKS: readonly WorkflowTaskDefinition[] = [
  {
    id: 'loadTransfer',
    placeholder: 'LoadTransferFunctionArn',
    entry: 'functions/workflow/load-transfer.ts',
    access: { table: ['GetItem'] },
  },
  {
    id: 'notifyTransferEvent',
    placeholder: 'NotifyTransferEventFunctionArn',
    entry: 'functions/workflow/notify-transfer-event.ts',
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], sendEmail: true },
  },
  {
    id: 'storeAcceptanceToken',
    placeholder: 'StoreAcceptanceTokenFunctionArn',
    entry: 'functions/workflow/store-acceptance-token.ts',
    access: { table: ['GetItem', 'UpdateItem'] },
  },
  {
    id: 'expireTransfer',
    placeholder: 'ExpireTransferFunctionArn',
    entry: 'functions/workflow/expire-transfer.ts',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  {
    id: 'closeUnacceptedTransfer',
    placeholder: 'CloseUnacceptedTransferFunctionArn',
    entry: 'functions/workflow/close-unaccepted-transfer.ts',
    access: { table: ['Query', 'PutItem', 'UpdateItem'] },
  },
  {
    id: 'startMoving',
    placeholder: 'StartMovingFunctionArn',
    entry: 'functions/workflow/start-moving.ts',
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  },
  {
    id: 'moveLineItem',
    placeholder: 'MoveLineItemFunctionArn',
    entry: 'functions/workflow/move-line-item.ts',
    access: { table: ['GetItem', 'UpdateItem'] },
  },
  {
    id: 'recordLineItemFailure',
    placeholder: 'RecordLineItemFailureFunctionArn',
    entry: 'functions/workflow/record-line-item-failure.ts',
    access: { table: ['GetItem', 'UpdateItem'] },
  },
  {
    id: 'finaliseTransfer',
    placeholder: 'FinaliseTransferFunctionArn',
    entry: 'functions/workflow/finalise-transfer.ts',
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  },
];
