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
