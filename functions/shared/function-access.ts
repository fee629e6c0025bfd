// The AWS actions one function of the stack may call, named action by action in the route and task tables. CDK
// grants exactly these (infra/aws/transfer-function.ts); the IAM simulation (test/infra/iam-simulation.test.ts)
// proves each one is used by the function's code and that the function needs nothing more. A conditional write
// that is refused reads the item back (GetItem), so a function that writes usually reads too.

/** DynamoDB actions on the transfer table (reads also on its indexes). */
export type TableAction =
  | 'GetItem'
  | 'Query'
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem';

/** Step Functions actions on the transfer state machine. */
export type WorkflowAction = 'StartExecution' | 'SendTaskSuccess' | 'SendTaskFailure';

/** Actions that only read: granted on the table and its indexes; the others on the table alone. */
export const TABLE_READ_ACTIONS: readonly TableAction[] = ['GetItem', 'Query', 'BatchGetItem'];

/**
 * Every transfer write route: loads the transfer (Query) and the directory (GetItem), writes with conditions (PutItem,
 * UpdateItem), and its MS-RequestId record is dropped again when the write fails or is refused (DeleteItem).
 */
export const TRANSFER_WRITE: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/** Status changes resume the acceptance wait either way: a late call completes the winner's change. */
export const RESUMES_ACCEPTANCE_WAIT: readonly WorkflowAction[] = ['SendTaskSuccess', 'SendTaskFailure'];

/** SQS actions our code calls on the webhook delivery queue (the event source mapping's own: infra/aws). */
export type QueueAction = 'SendMessage' | 'ChangeMessageVisibility';

/** The AWS actions one function's code calls; the route and task tables and the webhook functions each declare it. */
export interface FunctionAccess {
  /** DynamoDB actions on the transfer table; empty: no table at all. */
  table: readonly TableAction[];
  /** Step Functions actions on the transfer state machine. */
  workflow?: readonly WorkflowAction[];
  /** ses:SendEmail from the sender identity. */
  sendEmail?: boolean;
  /** SQS actions on the webhook delivery queue. */
  webhookQueue?: readonly QueueAction[];
  /** events:PutEvents on the transfer event bus. */
  publishEvents?: boolean;
}

/** The declared access as IAM action names (`dynamodb:GetItem`...). */
export const iamActionsOf = (access: FunctionAccess): string[] => [
  ...access.table.map((action) => `dynamodb:${action}`),
  ...(access.workflow ?? []).map((action) => `states:${action}`),
  ...(access.sendEmail ? ['ses:SendEmail'] : []),
  ...(access.webhookQueue ?? []).map((action) => `sqs:${action}`),
  ...(access.publishEvents ? ['events:PutEvents'] : []),
];
