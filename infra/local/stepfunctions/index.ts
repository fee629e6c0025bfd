// Embedded Step Functions endpoint: the Step Functions JSON API on loopback, backed by aws-local-stepfunctions.
export type { AccountScope } from './arns.ts';
export { ENGINE_MAX_TIMEOUT_SECONDS } from './definition.ts';
export { type StepFunctionsErrorName, StepFunctionsServiceError } from './errors.ts';
export type { LocalLambdaInvoker, StepFunctionsLogger } from './execution.ts';
export {
  type StepFunctionsServer,
  type StepFunctionsServerOptions,
  startStepFunctionsServer,
} from './server.ts';
export { type ExecutionSummary, LocalStepFunctions, type LocalStepFunctionsOptions } from './service.ts';
