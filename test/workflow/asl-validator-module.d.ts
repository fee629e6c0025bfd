// asl-validator ships no type declarations: just what the ASL test uses.
declare module 'asl-validator' {
  export interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  export interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }
  export default function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidationResult;
}
