// cdk-nag names a finding by its resource as the template writes it: `<AWS::Region>` and `<AWS::AccountId>` when
// the stack is environment-agnostic (the template tests), the values themselves when the CDK CLI supplies a default
// environment (`cdk synth` with a region configured). Acknowledgements must be written the same way to match.
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function nagEnvironment(scope: IConstruct): { region: string; account: string } {
  const stack = Stack.of(scope);
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}
