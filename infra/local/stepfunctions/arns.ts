// ARNs and resource names of state machines and executions, as Step Functions builds and checks them.
import { StepFunctionsServiceError } from './errors.ts';

export interface AccountScope {
  region: string;
  accountId: string;
}

export const stateMachineArn = (scope: AccountScope, name: string): string =>
  `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;

export const executionArn = (scope: AccountScope, stateMachineName: string, executionName: string): string =>
  `arn:aws:states:${scope.region}:${scope.accountId}:execution:${stateMachineName}:${executionName}`;

/** `<machine>/<label>` for the Map Run and its child executions (AWS's labelled state machine name). */
export const mapRunArn = (scope: AccountScope, labelledMachineName: string, id: string): string =>
  `arn:aws:states:${scope.region}:${scope.accountId}:mapRun:${labelledMachineName}:${id}`;

const ARN_PREFIX = /^arn:aws(?:-[a-z]+)*:states:([a-z0-9-]+):(\d{12}):/;

interface ParsedArn {
  region: string;
  accountId: string;
  resourceType: string;
  parts: string[];
}

function parseStatesArn(arn: string): ParsedArn | undefined {
  const prefix = ARN_PREFIX.exec(arn);
  if (!prefix) return undefined;
  const [resourceType = '', ...parts] = arn.slice(prefix[0].length).split(':');
  return { region: prefix[1] ?? '', accountId: prefix[2] ?? '', resourceType, parts };
}

/** The state machine name, or InvalidArn when the text is not a state machine ARN. */
export function parseStateMachineArn(arn: string): { region: string; accountId: string; name: string } {
  const parsed = parseStatesArn(arn);
  if (parsed?.resourceType !== 'stateMachine' || parsed.parts.length !== 1 || !parsed.parts[0]) {
    throw new StepFunctionsServiceError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${arn}'`,
    );
  }
  return { region: parsed.region, accountId: parsed.accountId, name: parsed.parts[0] };
}

/** Checks an execution ARN's shape (InvalidArn otherwise); the ARN itself is the key executions are stored under. */
export function assertExecutionArn(arn: string): void {
  const parsed = parseStatesArn(arn);
  if (
    parsed?.resourceType !== 'execution' ||
    parsed.parts.length !== 2 ||
    parsed.parts.some((part) => !part)
  ) {
    throw new StepFunctionsServiceError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${arn}'`,
    );
  }
}

/** Checks a Map Run ARN's shape (InvalidArn otherwise). */
export function assertMapRunArn(arn: string): void {
  const parsed = parseStatesArn(arn);
  if (parsed?.resourceType !== 'mapRun' || parsed.parts.length !== 2 || parsed.parts.some((part) => !part)) {
    throw new StepFunctionsServiceError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${arn}'`,
    );
  }
}

// Step Functions names: 1-80 characters, no white space, brackets, wildcards, the punctuation below or control
// characters (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;
const isControlCharacter = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};

export function isValidResourceName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 80 &&
    !FORBIDDEN_NAME_CHARACTERS.test(name) &&
    ![...name].some(isControlCharacter)
  );
}

export function assertValidName(name: string, what: 'execution' | 'state machine'): void {
  if (!isValidResourceName(name)) {
    throw new StepFunctionsServiceError('InvalidName', `Invalid Name: '${name}' is not a valid ${what} name`);
  }
}
