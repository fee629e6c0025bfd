// The operator commands as an operator runs them: `partner-transfers ops …` as a subprocess with AWS-style
// configuration (TABLE_NAME, STATE_MACHINE_ARN, endpoints, credentials; no partner token) against the local cloud.
// Refusals carry the domain's code, writes are idempotent and audited, and retry-failed completes a transfer whose
// items failed.
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  createTransferFixture,
  eventually,
  sfnClient,
  submitDirectly,
  type TransferFixture,
  transferWorkflow,
} from '#test/workflow/support.ts';
import { auditOperations, runOps, SUBPROCESS_BUDGET_MS } from './support.ts';

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

const ops = (...args: string[]) => runOps(cloud, args);

const name = ({ transfer }: TransferFixture) => `${transfer.customerTenantId}/${transfer.id}`;

const statusOf = async (fixture: TransferFixture) =>
  (await cloud.storage.transfers.get(fixture.transfer.customerTenantId, fixture.transfer.id))?.status;

describe('partner-transfers ops', () => {
  it(
    'retry-failed completes a transfer whose items failed; refusals and repeats change nothing',
    async () => {
      const fixture = await createTransferFixture(cloud.storage, {
        items: 2,
        subscriptionIds: [FAULTY_SUBSCRIPTION],
      });
      const workflow = transferWorkflow(cloud, client);
      await workflow.start({
        customerId: fixture.transfer.customerTenantId,
        transferId: fixture.transfer.id,
      });
      await eventually(
        async () =>
          (
            await cloud.storage.transfers.getStatusAndAcceptanceToken(
              fixture.transfer.customerTenantId,
              fixture.transfer.id,
            )
          )?.acceptanceTaskToken,
      );
      // Expire before the window passed: refused with the domain's code.
      const early = await ops('expire', name(fixture));
      expect(early.code).toBe(4);
      expect(early.stderr).toMatch(/Refused \(TransferNotYetExpired\)/);

      await submitDirectly(cloud.storage, workflow, fixture);
      await eventually(async () => ((await statusOf(fixture)) === 'CompletedWithErrors' ? true : undefined));

      const inspected = await ops('inspect', name(fixture));
      expect(inspected.stdout).toMatch(/CompletedWithErrors/);
      expect(inspected.stdout).toMatch(/run 0: SUCCEEDED/);
      expect(inspected.stdout).toMatch(
        new RegExp(`${FAULTY_SUBSCRIPTION} Failed, 1 attempt\\(s\\), last error`),
      );

      // The cause was fixed (no more fault): the retry moves the failed item and the transfer completes.
      process.env.SANDBOX_MOVE_FAULTS = '';
      const retried = await ops('retry-failed', name(fixture));
      expect(retried.stdout).toMatch(/Done: retrying 1 line item\(s\)/);
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
      expect(again.code).toBe(4);
      expect(again.stderr).toMatch(/Refused \(NoFailedLineItemsToRetry\)/);
    },
    SUBPROCESS_BUDGET_MS,
  );

  it(
    'stuck lists an Active transfer past its window with no workflow; expire repairs it once; bad input is a usage error',
    async () => {
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
      expect(await auditOperations(cloud.storage, fixture)).toEqual(
        expect.arrayContaining(['TransferExpired', 'TransferRepaired:expire']),
      );
      const usage = await ops('inspect', 'not-a-transfer');
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/<customerId>\/<transferId>/);
    },
    SUBPROCESS_BUDGET_MS,
  );
});
