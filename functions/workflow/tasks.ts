// The workflow's task functions: one table that the ASL loader checks placeholders against, CDK builds Lambda
// functions from and the local cloud invokes in process.

export interface WorkflowTaskDefinition {
  /** Stable identifier, used as the function's name locally and its logical id in CDK. */
  id: string;
  /** The `${Placeholder}` in statemachines/transfer.asl.json that receives this function's ARN. */
  placeholder: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  access: { table: 'read' | 'readwrite'; sendEmail?: boolean };
}

export const WORKFLOW_TASKS: readonly WorkflowTaskDefinition[] = [
  {
    id: 'loadTransfer',
    placeholder: 'LoadTransferFunctionArn',
    entry: 'functions/workflow/load-transfer.ts',
    access: { table: 'read' },
  },
  {
    id: 'notifyTransferEvent',
    placeholder: 'NotifyTransferEventFunctionArn',
    entry: 'functions/workflow/notify-transfer-event.ts',
    access: { table: 'readwrite', sendEmail: true },
  },
  {
    id: 'storeAcceptanceToken',
    placeholder: 'StoreAcceptanceTokenFunctionArn',
    entry: 'functions/workflow/store-acceptance-token.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'expireTransfer',
    placeholder: 'ExpireTransferFunctionArn',
    entry: 'functions/workflow/expire-transfer.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'closeUnacceptedTransfer',
    placeholder: 'CloseUnacceptedTransferFunctionArn',
    entry: 'functions/workflow/close-unaccepted-transfer.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'startMoving',
    placeholder: 'StartMovingFunctionArn',
    entry: 'functions/workflow/start-moving.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'moveLineItem',
    placeholder: 'MoveLineItemFunctionArn',
    entry: 'functions/workflow/move-line-item.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'recordLineItemFailure',
    placeholder: 'RecordLineItemFailureFunctionArn',
    entry: 'functions/workflow/record-line-item-failure.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'finaliseTransfer',
    placeholder: 'FinaliseTransferFunctionArn',
    entry: 'functions/workflow/finalise-transfer.ts',
    access: { table: 'readwrite' },
  },
];
