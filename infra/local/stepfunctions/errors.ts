// Errors of the Step Functions API, as the service names them. The HTTP layer turns them into the JSON 1.0 error
// shape that @aws-sdk/client-sfn maps to its typed exceptions (TaskTimedOut, ExecutionDoesNotExist, ...).

export type StepFunctionsErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'ResourceNotFound'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'StateMachineTypeNotSupported'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'InternalFailure';

export class StepFunctionsServiceError extends Error {
  override readonly name = 'StepFunctionsServiceError';

  constructor(
    readonly errorName: StepFunctionsErrorName,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export const taskTimedOut = () =>
  new StepFunctionsServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");

export const taskDoesNotExist = () =>
  new StepFunctionsServiceError(
    'TaskDoesNotExist',
    'Task does not exist: the provided task token is unknown',
  );

export const invalidToken = (detail = 'Invalid token') =>
  new StepFunctionsServiceError('InvalidToken', `Invalid Token: '${detail}'`);

export const validationError = (message: string) =>
  new StepFunctionsServiceError('ValidationException', message);

export const missingMember = (member: string) =>
  validationError(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

export const invalidDefinition = (message: string): StepFunctionsServiceError =>
  new StepFunctionsServiceError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);
