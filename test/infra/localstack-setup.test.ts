// The post-deploy step of `npm run deploy:localstack`, against stand-ins for LocalStack's endpoints: a real
// DynamoDB wire protocol (dynalite) and a recorder of SES query-protocol calls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { SANDBOX_PARTNERS } from '#local/sandbox.ts';
import { type LocalDynamoDb, startDynalite } from '#test/support/dynalite.ts';
import { setUpLocalStackStack } from '../../scripts/localstack-setup.ts';

const VERIFY_RESPONSE = `<VerifyEmailIdentityResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
  <VerifyEmailIdentityResult/><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</VerifyEmailIdentityResponse>`;

describe('LocalStack post-deploy setup', () => {
  let dynamodb: LocalDynamoDb;
  let ses: Server;
  const sesCalls: URLSearchParams[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    dynamodb = await startDynalite('partner-transfers-localstack');
    ses = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        sesCalls.push(new URLSearchParams(body));
        response.writeHead(200, { 'content-type': 'text/xml' }).end(VERIFY_RESPONSE);
      });
    });
    await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${(ses.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise<void>((resolve) => ses.close(() => resolve()));
    await dynamodb.stop();
  });

  it('verifies the sender, seeds the sandbox once, and prints the console and API URLs', async () => {
    const lines: string[] = [];
    const outputs = {
      ApiUrl: 'http://localhost.localstack.cloud:4566/_aws/execute-api/abc123/prod/',
      TableName: dynamodb.tableName,
      StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:transfer',
      SenderAddress: 'transfers@partner-transfers.local',
      ConsoleUrl: 'http://partner-console-files.s3-website.localhost.localstack.cloud:4566/',
    };
    await setUpLocalStackStack(outputs, (line) => lines.push(line));
    expect(sesCalls.map((call) => [call.get('Action'), call.get('EmailAddress')])).toEqual([
      ['VerifyEmailIdentity', 'transfers@partner-transfers.local'],
    ]);
    const storage = createDynamoDbStorage({ tableName: dynamodb.tableName });
    const partner = SANDBOX_PARTNERS[0]!;
    expect((await storage.directory.getPartner(partner.tenantId))?.name).toBe(partner.name);
    expect(lines.join('\n')).toContain(`${outputs.ApiUrl}v1/health`);
    expect(lines.join('\n')).toContain(`npm start -- --trusted-console ${outputs.ConsoleUrl}`);

    await setUpLocalStackStack(outputs, (line) => lines.push(line));
    expect(lines).toContain('The sandbox was already seeded.');
  });
});
