// After `cdklocal deploy`: what LocalStack's free CloudFormation cannot do. Verifies the SES sender (no
// AWS::SES::EmailIdentity there), seeds the sandbox into the table, and prints how to call the API.
// Usage: tsx scripts/localstack-setup.ts cdk.out/localstack-outputs.json (scripts/localstack.sh deploy runs it).
// The AWS SDK reaches LocalStack through AWS_ENDPOINT_URL, which the shell script sets.
import { readFile } from 'node:fs/promises';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { seedDeployedTable } from './seed-sandbox.ts';

export interface StackOutputs {
  ApiUrl: string;
  TableName: string;
  StateMachineArn: string;
  SenderAddress: string;
  ConsoleUrl: string;
  JwksUrl?: string;
}

/** The outputs of the first (only) stack in a `cdk deploy --outputs-file` file. */
export async function readStackOutputs(outputsFile: string): Promise<StackOutputs> {
  const stacks = JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, StackOutputs>;
  const outputs = Object.values(stacks)[0];
  if (!outputs?.ApiUrl || !outputs.TableName || !outputs.SenderAddress || !outputs.ConsoleUrl) {
    throw new Error(`${outputsFile} lacks the stack outputs ApiUrl, TableName, SenderAddress and ConsoleUrl`);
  }
  return outputs;
}

export async function setUpLocalStackStack(
  outputs: StackOutputs,
  log: (line: string) => void = console.log,
): Promise<void> {
  const ses = new SESClient({});
  try {
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: outputs.SenderAddress }));
  } finally {
    ses.destroy();
  }
  log(`Verified the SES sender ${outputs.SenderAddress}.`);
  const seeded = await seedDeployedTable(outputs.TableName);
  log(seeded ? `Seeded the sandbox into ${outputs.TableName}.` : 'The sandbox was already seeded.');
  const edge = process.env.AWS_ENDPOINT_URL ?? 'http://localhost:4566';
  log(`
Console:        ${outputs.ConsoleUrl}
  It signs in with npm start's OpenID provider (the same issuer and key this stack trusts). Run beside LocalStack:
    npm start -- --trusted-console ${outputs.ConsoleUrl}
  then open the console and pick a sandbox user.
API:            ${outputs.ApiUrl}
State machine:  ${outputs.StateMachineArn}
Sent mail:      ${edge}/_aws/ses
Try it:
  curl ${outputs.ApiUrl}v1/health
  curl -H "Authorization: Bearer $(npm run --silent token -- --tenant contoso)" ${outputs.ApiUrl}v1/partner
End-to-end tests against this stack:
  E2E_API_URL=${outputs.ApiUrl} E2E_TABLE_NAME=${outputs.TableName} E2E_SIGN_WITH_LOCAL_KEY=1 npx vitest run test/e2e
`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await setUpLocalStackStack(await readStackOutputs(process.argv[2] ?? 'cdk.out/localstack-outputs.json'));
}
