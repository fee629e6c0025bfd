// The operator commands as an operator runs them: `npm run ops` as a subprocess with AWS-style configuration
// (TABLE_NAME, STATE_MACHINE_ARN, endpoints, credentials; no partner token) against the local cloud. Refusals carry
// the domain's code, writes are idempotent and audited, and retry-failed completes a transfer with failed items.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '#local/local-cloud.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  createTransferFixture,
  eventually,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  transferWorkflow,
} from '#test/workflow/support.ts';
import { auditOperations } from './support.ts';

const run = promisify(execFile);
const FAULTY_SUBSCRIPTION = 'sub-ops-retry-fault-0001';

let cloud: TestCloud;
let client: SFNClient;

beforeAll(async () => {
  cloud = await startTestCloud({ moveFaults: `permanent:${FAULTY_SUBSCRIPTION}` });
  client = sfnClient(cloud);
});

afterAll(async () => {
  client?.destroy();
  await cloud?.stop();
});

async function ops(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/ops.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TABLE_NAME: LOCAL_TABLE_NAME,
        STATE_MACHINE_ARN: cloud.stateMachineArn,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: cloud.urls.dynamodb,
        AWS_ENDPOINT_URL_SFN: cloud.urls.stepfunctions,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const name = ({ transfer }: TransferFixture) => `${transfer.customerTenantId}/${transfer.id}`;

async function finished(fixture: TransferFixture) {
  return eventually(async () => {
    const stored = await cloud.storage.transfers.get(fixture.transfer.customerTenantId, fixture.transfer.id);
    return stored?.status === 'Complete' || stored?.status === 'CompletedWithErrors' ? stored : undefined;
  });
}

describe('ops commands', () => {
  it('retry-failed completes a transfer whose items failed; refusals and repeats change nothing', async () => {
    const fixture = await createTransferFixture(cloud.storage, {
      items: 2,
      subscriptionIds: [FAULTY_SUBSCRIPTION],
    });
    const workflow = transferWorkflow(cloud, client);
    await workflow.start({ customerId: fixture.transfer.customerTenantId, transferId: fixture.transfer.id });
    await eventually(
      async () =>
        (
          await cloud.storage.transfers.getAcceptanceToken(
            fixture.transfer.customerTenantId,
            fixture.transfer.id,
          )
        )?.acceptanceTaskToken,
    );
    // Redrive while the workflow runs: nothing to do. Expire before the window passed: refused.
    expect((await ops('redrive', name(fixture))).stdout).toMatch(/Nothing to do: run 0 is running/);
    const early = await ops('expire', name(fixture));
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/Refused \(TransferNotYetExpired\)/);

    await submitDirectly(cloud.storage, workflow, fixture.transfer);
    const failed = await finished(fixture);
    expect(failed.status).toBe('CompletedWithErrors');

    const inspected = await ops('inspect', name(fixture));
    expect(inspected.stdout).toMatch(/CompletedWithErrors/);
    expect(inspected.stdout).toMatch(/run 0: SUCCEEDED/);
    expect(inspected.stdout).toMatch(
      new RegExp(`${FAULTY_SUBSCRIPTION} Failed, 1 attempt\\(s\\), last error`),
    );
    expect(inspected.stdout).toMatch(/TransferCompleted to .*: sent/);

    // The fault is gone (the cause was fixed): the retry moves the failed item and the transfer completes.
    process.env.SANDBOX_MOVE_FAULTS = '';
    const retried = await ops('retry-failed', name(fixture));
    expect(retried.stdout).toMatch(/Done: retrying 1 line item\(s\): 0/);
    const completed = await eventually(async () => {
      const stored = await cloud.storage.transfers.get(
        fixture.transfer.customerTenantId,
        fixture.transfer.id,
      );
      return stored?.status === 'Complete' ? stored : undefined;
    });
    expect(completed.lineItems.map((item) => item.status)).toEqual(['Complete', 'Complete']);
    expect(await auditOperations(cloud.storage, fixture)).toContain('TransferRepaired:retry-failed');

    const again = await ops('retry-failed', name(fixture));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/Refused \(NoFailedLineItemsToRetry\)/);
    const redriveDone = await ops('redrive', name(fixture));
    expect(redriveDone.stderr).toMatch(/Refused \(TransferTerminal\)/);
  });

  it('stuck lists a transfer whose workflow is missing; reconcile repairs it; stuck is then empty for it', async () => {
    const fixture = await createTransferFixture(cloud.storage, {
      acceptanceWindowDays: 1 / 86_400,
      now: new Date(Date.now() - 10 * 60_000),
    });
    const stuck = await ops('stuck');
    expect(stuck.code).toBe(0);
    expect(stuck.stdout).toMatch(
      new RegExp(`${name(fixture)}\\s+Active\\s+0\\s+acceptance-window-passed\\s+expire`),
    );
    const expired = await ops('expire', name(fixture));
    expect(expired.stdout).toMatch(/Done: Expired; 3 subscription claim\(s\) released/);
    expect((await ops('expire', name(fixture))).stdout).toMatch(/Nothing to do: it is Expired already/);
    expect((await ops('stuck')).stdout).not.toContain(fixture.transfer.id);
    expect(await auditOperations(cloud.storage, fixture)).toEqual(
      expect.arrayContaining(['TransferExpired', 'TransferRepaired:expire']),
    );
    const usage = await ops('inspect', 'not-a-transfer');
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/<customerId>\/<transferId>/);
  });
});
