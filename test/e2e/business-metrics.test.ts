// The business metrics as CloudWatch would receive them: EMF lines in the functions' output. Transfers driven through
// the local cloud (over HTTP, and through the real workflow) must each leave exactly the metrics they stand for.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmailSendError } from '#adapters/ses-email-sender.ts';
import { SANDBOX_CUSTOMERS } from '#local/sandbox.ts';
import { inProcessLambdaContext } from '#shared/in-process-lambda-context.ts';
import {
  METRICS_NAMESPACE,
  SERVICE_NAME,
  TRANSFER_METRICS,
  type TransferMetricName,
} from '#shared/observability/metric-names.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import {
  createTransferFixture,
  eventually,
  executionArnOf,
  finishedExecution,
  sfnClient,
  transferWorkflow,
} from '#test/workflow/support.ts';
import { SANDBOX_ADMINS, seedSubscription, transferApi } from './transfer-write-helpers.ts';

// As in Lambda, metrics are configured before any module loads: the use cases imported below (through the workflow
// test support) create the one Metrics instance, which reads POWERTOOLS_METRICS_DISABLED once (test/setup.ts sets it).
const metricsSetting = vi.hoisted(() => {
  const before = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  return { before };
});

const WOODGROVE = SANDBOX_CUSTOMERS.woodgrove;
const { contoso, fabrikam } = SANDBOX_ADMINS;
const FLAKY = randomUUID();
const BROKEN = randomUUID();

interface EmfDocument {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/** Every EMF document written to stdout, kept out of the test output. */
const emf: EmfDocument[] = [];
const writeStdout = process.stdout.write.bind(process.stdout);

function captureEmf(): void {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const documents = text.split('\n').filter((line) => line.startsWith('{"_aws"'));
    if (documents.length === 0) return writeStdout(chunk, ...rest);
    for (const line of documents) emf.push(JSON.parse(line) as EmfDocument);
    return true;
  }) as typeof process.stdout.write;
}

/** The values of one metric over every document (a document holds an array when a name was added twice). */
function valuesOf(name: TransferMetricName): number[] {
  return emf.flatMap((document) => {
    const value = document[name];
    if (value === undefined) return [];
    return Array.isArray(value) ? (value as number[]) : [value as number];
  });
}
const totalOf = (name: TransferMetricName) => valuesOf(name).reduce((sum, value) => sum + value, 0);
const untilTotal = (name: TransferMetricName, expected: number) =>
  eventually(async () => (totalOf(name) >= expected ? true : undefined));

let cloud: TestCloud;

beforeAll(async () => {
  captureEmf();
  cloud = await startTestCloud({
    metrics: true,
    moveFaults: `permanent:${BROKEN}; transient-times:${FLAKY}=2`,
  });
});

afterAll(async () => {
  await cloud?.stop();
  process.stdout.write = writeStdout;
  // The worker runs other files next: they keep the quiet default of test/setup.ts.
  if (metricsSetting.before === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
  else process.env.POWERTOOLS_METRICS_DISABLED = metricsSetting.before;
});

describe('business metrics (EMF in the log stream)', () => {
  it('counts each step of a lifecycle once: created, accepted, moved, retried, failed, completed, and its duration', async () => {
    const api = transferApi(cloud);
    const created = await api.create(fabrikam, WOODGROVE, contoso.tenantId);
    expect(created.status).toBe(201);
    const transferId = created.body.id;
    const subscriptions = [
      await seedSubscription(cloud, WOODGROVE, contoso.tenantId),
      await seedSubscription(cloud, WOODGROVE, contoso.tenantId, 'OnlineServicesNCE', {
        subscriptionId: FLAKY,
      }),
      await seedSubscription(cloud, WOODGROVE, contoso.tenantId, 'OnlineServicesNCE', {
        subscriptionId: BROKEN,
      }),
    ];
    const set = await api.setLineItems(
      contoso,
      WOODGROVE,
      transferId,
      subscriptions.map((subscription) => ({ subscriptionId: subscription.subscriptionId })),
    );
    expect(set.status).toBe(200);
    expect((await api.submit(contoso, WOODGROVE, transferId)).status).toBe(202);

    await untilTotal(TRANSFER_METRICS.transfersCompleted, 1);
    const stored = await cloud.storage.transfers.get(WOODGROVE, transferId);
    expect(stored?.status).toBe('CompletedWithErrors');
    expect(totalOf(TRANSFER_METRICS.transfersCreated)).toBe(1);
    expect(totalOf(TRANSFER_METRICS.transfersAccepted)).toBe(1);
    expect(totalOf(TRANSFER_METRICS.lineItemsMoved)).toBe(2);
    expect(totalOf(TRANSFER_METRICS.lineItemMovesRetried)).toBe(2);
    expect(totalOf(TRANSFER_METRICS.lineItemsFailed)).toBe(1);
    const [duration, ...more] = valuesOf(TRANSFER_METRICS.acceptToCompleteSeconds);
    expect(more).toEqual([]);
    const expectedSeconds =
      (Date.parse(stored?.completedTime ?? '') - Date.parse(stored?.acceptedTime ?? '')) / 1000;
    expect(duration).toBeCloseTo(expectedSeconds, 3);
  });

  it('counts a cancellation and an expiry', async () => {
    const api = transferApi(cloud);
    const created = await api.create(fabrikam, WOODGROVE, contoso.tenantId);
    expect((await api.cancel(fabrikam, WOODGROVE, created.body.id)).status).toBe(200);
    await untilTotal(TRANSFER_METRICS.transfersCanceled, 1);

    // A window of 1.5 seconds: the acceptance wait times out and the workflow expires the transfer.
    const client = sfnClient(cloud);
    try {
      const { transfer } = await createTransferFixture(cloud.storage, {
        items: 1,
        acceptanceWindowDays: 1.5 / 86_400,
      });
      await transferWorkflow(cloud, client).start({
        customerId: transfer.customerTenantId,
        transferId: transfer.id,
      });
      expect((await finishedExecution(client, executionArnOf(transfer.id))).status).toBe('SUCCEEDED');
    } finally {
      client.destroy();
    }
    await untilTotal(TRANSFER_METRICS.transfersExpired, 1);
    expect(totalOf(TRANSFER_METRICS.transfersCreated)).toBe(2);
    expect(totalOf(TRANSFER_METRICS.transfersCanceled)).toBe(1);
    expect(totalOf(TRANSFER_METRICS.transfersExpired)).toBe(1);
  });

  it('counts every email that could not be sent, flushed by the same middleware as every function', async () => {
    // Imported here, after the cloud turned metrics on: handler modules read that setting once.
    const { notifyTransferEvent } = await import('#workflow/notify-transfer-event.ts');
    const { instrumentedMiddy } = await import('#shared/observability/instrument.ts');
    const { systemClock } = await import('#workflow/dependencies.ts');
    const { transfer } = await createTransferFixture(cloud.storage, { items: 1 });
    const refusingSender = {
      send: async (): Promise<{ messageId?: string }> => {
        throw new EmailSendError('SES SendEmail failed (MessageRejected)', {
          retryable: false,
          errorCode: 'MessageRejected',
        });
      },
    };
    const notify = instrumentedMiddy<undefined, unknown>().handler(() =>
      notifyTransferEvent(
        { customerId: transfer.customerTenantId, transferId: transfer.id, event: 'TransferCreated' },
        { storage: cloud.storage, now: systemClock, sender: refusingSender, consoleUrl: cloud.urls.console },
      ),
    );
    const before = totalOf(TRANSFER_METRICS.emailsFailed);
    await notify(undefined, inProcessLambdaContext('notify-probe'));
    // One source admin and the customer.
    expect(totalOf(TRANSFER_METRICS.emailsFailed) - before).toBe(2);
  });

  it('writes every document in the service namespace with the service dimension', () => {
    expect(emf.length).toBeGreaterThan(0);
    for (const document of emf) {
      expect(document.service).toBe(SERVICE_NAME);
      for (const directive of document._aws.CloudWatchMetrics) {
        expect(directive.Namespace).toBe(METRICS_NAMESPACE);
        expect(directive.Dimensions).toEqual([['service']]);
        for (const metric of directive.Metrics) {
          expect(Object.values(TRANSFER_METRICS)).toContain(metric.Name);
        }
      }
    }
  });
});
