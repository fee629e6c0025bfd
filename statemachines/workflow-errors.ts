// The error names of the transfer state machine, in one place: the ones its Retry/Catch match in
// transfer.asl.json (test/workflow/asl.test.ts checks each ErrorEquals name against this module), and the faults
// its tasks raise that nothing matches, which fail the execution. A task error's `name` is what Lambda reports as
// its errorType, so tasks throw Errors named from here (see namedError in functions/application/workflow-errors.ts).

/** Names the ASL retries or catches. */
export const WORKFLOW_ERRORS = {
  /** A retryable storage error (throttling, outage): every task retries it. */
  TransientStorage: 'TransientStorageError',
  /** A subscription move that may succeed later: retried with capped, jittered backoff within the 72 h window. */
  TransientMove: 'TransientMoveError',
  /** A subscription move that never will: the line item's catch-all (States.ALL) records it as its failure. */
  PermanentMove: 'PermanentMoveError',
  /** Another attempt holds the claim on an email right now: the notify task is retried past a stale claim. */
  NotificationInFlight: 'NotificationInFlight',
  /** Sent by the cancel endpoint (SendTaskFailure) to end the acceptance wait. */
  TransferCanceled: 'TransferCanceled',
  /** The transfer left Active before the acceptance token was stored: the ASL routes by its new status. */
  TransferNoLongerActive: 'TransferNoLongerActive',
} as const;

/** Faults a task raises that the ASL does not handle: the execution fails, because its data does not fit. */
export const WORKFLOW_FAULTS = {
  InvalidTaskInput: 'InvalidTaskInput',
  TransferNotFound: 'TransferNotFound',
  TransferNotAccepted: 'TransferNotAccepted',
  TransferNotInProgress: 'TransferNotInProgress',
  TransferNotCompleted: 'TransferNotCompleted',
  TransferNotClosed: 'TransferNotClosed',
  LineItemsNotSettled: 'LineItemsNotSettled',
} as const;

/** What the Lambda service raises when an invocation itself fails; every task retries these, as AWS advises. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

export type WorkflowErrorName = (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS];
export type WorkflowFaultName = (typeof WORKFLOW_FAULTS)[keyof typeof WORKFLOW_FAULTS];
export type TaskErrorName = WorkflowErrorName | WorkflowFaultName;

/** Every name an ErrorEquals may list, besides the States.* names Step Functions defines. */
export const MATCHABLE_ERROR_NAMES: ReadonlySet<string> = new Set<string>([
  ...Object.values(WORKFLOW_ERRORS),
  ...LAMBDA_SERVICE_ERRORS,
]);

/** Failures the workflow expects and handles on its own (retried, or routed by status): information, not warnings. */
const EXPECTED_TASK_FAILURES: ReadonlySet<string> = new Set<WorkflowErrorName>([
  WORKFLOW_ERRORS.TransientStorage,
  WORKFLOW_ERRORS.TransientMove,
  WORKFLOW_ERRORS.NotificationInFlight,
  WORKFLOW_ERRORS.TransferNoLongerActive,
]);

export const isExpectedTaskFailure = (name: string): boolean => EXPECTED_TASK_FAILURES.has(name);
