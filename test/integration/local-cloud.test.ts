// The embedded local cloud as a whole: every emulator answers its real wire protocol through the AWS SDK, the
// API Gateway stand-in runs the authorizer and the route table, and data survives a restart on a data folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_INDEXES } from '#adapters/table-schema.ts';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';
import { LOCAL_SDK_SETTINGS, startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';

describe('local cloud', () => {
  let cloud: TestCloud;

  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const api = (path: string, init: RequestInit = {}) => fetch(`${cloud.urls.api}${path}`, init);

  it('serves the health check without a token', async () => {
    const response = await api('/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'partner-transfers' });
  });

  it('serves the caller partner profile with a valid token', async () => {
    const token = await cloud.tokenFor(SANDBOX_TENANTS.northwind, 'SalesAgent', 'sales-1');
    const response = await api('/v1/partner', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      tenantId: SANDBOX_TENANTS.northwind,
      kind: 'IndirectProvider',
      caller: { userId: 'sales-1', roles: ['SalesAgent'] },
    });
  });

  it('echoes MS-CorrelationId', async () => {
    const response = await api('/v1/health', { headers: { 'MS-CorrelationId': 'corr-123' } });
    expect(response.headers.get('ms-correlationid')).toBe('corr-123');
  });

  describe('refuses requests without a valid token with 401 JSON', () => {
    const expectUnauthorized = async (headers: Record<string, string>) => {
      const response = await api('/v1/partner', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toMatchObject({ code: 'Unauthorized' });
    };

    it('no token', () => expectUnauthorized({}));
    it('not a bearer token', async () => expectUnauthorized({ authorization: 'Basic dXNlcjpwYXNz' }));
    it('tampered payload', async () => {
      const token = await cloud.tokenFor(SANDBOX_TENANTS.contoso);
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, tid: SANDBOX_TENANTS.fabrikam })).toString(
        'base64url',
      );
      await expectUnauthorized({ authorization: `Bearer ${header}.${forged}.${signature}` });
    });
    it('expired', async () => {
      const token = await cloud.identity.signToken({
        tenantId: SANDBOX_TENANTS.contoso,
        userId: 'u',
        roles: ['AdminAgent'],
        expiresInSeconds: -60,
      });
      await expectUnauthorized({ authorization: `Bearer ${token}` });
    });
    it('signed by another key', async () => {
      const other = await startTestCloud();
      try {
        const foreign = await other.tokenFor(SANDBOX_TENANTS.contoso);
        await expectUnauthorized({ authorization: `Bearer ${foreign}` });
      } finally {
        await other.stop();
      }
    });
  });

  it('answers unknown routes with 404 and wrong methods with 405, as JSON', async () => {
    const missing = await api('/v1/no-such-thing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'RouteNotFound' });
    const wrongMethod = await api('/v1/health', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await wrongMethod.json()).toMatchObject({ code: 'MethodNotAllowed' });
  });

  it('runs DynamoDB with the table and its indexes', async () => {
    const client = new DynamoDBClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.dynamodb });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: cloud.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      TABLE_INDEXES.map((index) => index.indexName).sort(),
    );
    client.destroy();
  });

  it('runs SES v1 SendEmail and lists the sent mail on its store page', async () => {
    const client = new SESClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.ses });
    const subject = `probe ${Date.now()}`;
    const { MessageId } = await client.send(
      new SendEmailCommand({
        Source: 'transfers@partner-transfers.local',
        Destination: { ToAddresses: ['someone@example.com'] },
        Message: { Subject: { Data: subject }, Body: { Text: { Data: 'hello' } } },
      }),
    );
    expect(MessageId).toBeTruthy();
    const store = (await (await fetch(`${cloud.urls.ses}/store`)).json()) as {
      emails: { subject: string }[];
    };
    expect(store.emails.map((email) => email.subject)).toContain(subject);
    const page = await fetch(cloud.urls.mailPage);
    expect(page.status).toBe(200);
    client.destroy();
  });

  it('registers the transfer state machine on the Step Functions endpoint', async () => {
    const client = new SFNClient({ ...LOCAL_SDK_SETTINGS, endpoint: cloud.urls.stepfunctions });
    const described = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: cloud.stateMachineArn }),
    );
    const definition = JSON.parse(described.definition ?? '{}');
    expect(definition.States.AwaitAcceptance.Resource).toBe(
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
    );
    expect(JSON.stringify(definition)).not.toMatch(/\$\{\w+\}/);
    client.destroy();
  });

  it('fails with a clear message when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startTestCloud({ dynamodbPort: port })).rejects.toThrow(
        new RegExp(`DynamoDB: port ${port} on 127.0.0.1 is already in use`),
      );
    } finally {
      blocker.close();
    }
  });
});

describe('local cloud with a data folder', () => {
  it('keeps data across a restart', async () => {
    const data = await mkdtemp(join(tmpdir(), 'partner-transfers-data-'));
    try {
      const first = await startTestCloud({ data });
      await first.storage.directory.putPartner(
        {
          tenantId: 'e0000000-0000-4000-8000-000000000001',
          name: 'Restart Probe',
          kind: 'DirectBill',
          partnerId: '9999999',
          partnerAgreementSigned: true,
          adminEmails: ['probe@example.com'],
        },
        { overwrite: true },
      );
      await first.stop();
      const second = await startTestCloud({ data });
      try {
        expect(
          await second.storage.directory.getPartner('e0000000-0000-4000-8000-000000000001'),
        ).toMatchObject({
          name: 'Restart Probe',
        });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});
