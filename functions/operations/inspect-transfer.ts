// `ops inspect`: everything an operator needs about one transfer in one place: the stored state, each workflow run's
// execution (status, states entered, failures), every line item's attempts and last error, the emails sent and the
// audit trail, and (when given the webhook reader) its events and their webhook deliveries. Read-only.
import type { ExecutionHistorySummary, ExecutionState } from '#adapters/workflow-executions.ts';
import type { Storage } from '#application/ports.ts';
import {
  describeTransferWebhookActivity,
  readTransferWebhookActivity,
  type TransferWebhookActivity,
  type TransferWebhookActivityDependencies,
} from '#webhooks/transfer-webhook-activity.ts';
import type { OperationsDependencies } from './repair-transfer.ts';
import type { TransferKey } from './use-cases.ts';

/** Older runs than this many are summarised by number only. */
const RUNS_SHOWN = 3;

export interface TransferInspection {
  transfer: Record<string, unknown>;
  runs: { run: number; execution?: ExecutionState; history?: ExecutionHistorySummary }[];
  lineItems: { id: string; subscriptionId: string; status: string; attempts: number; lastError?: string }[];
  emails: { event: string; recipient: string; state: string; sentAt?: string }[];
  audit: { at: string; operation: string; actor: string; partner: string }[];
  webhooks?: TransferWebhookActivity;
  text: string;
}

export async function inspectTransfer(
  deps: OperationsDependencies & { storage: Pick<Storage, 'emailMarkers'> },
  key: TransferKey,
  webhookReader?: TransferWebhookActivityDependencies,
): Promise<TransferInspection | undefined> {
  const { storage, executions } = deps;
  const [transfer, header] = await Promise.all([
    storage.transfers.get(key.customerId, key.transferId),
    storage.transfers.getHeader(key.customerId, key.transferId),
  ]);
  if (!transfer || !header) return undefined;
  const firstRun = Math.max(0, header.workflowRun - RUNS_SHOWN + 1);
  const runs = await Promise.all(
    Array.from({ length: header.workflowRun - firstRun + 1 }, async (_, index) => {
      const run = firstRun + index;
      const [execution, history] = await Promise.all([
        executions.describe(transfer.id, run),
        executions.history(transfer.id, run),
      ]);
      return { run, ...(execution ? { execution } : {}), ...(history ? { history } : {}) };
    }),
  );
  const lineItems = transfer.lineItems.map((item) => ({
    id: item.id,
    subscriptionId: item.subscriptionId,
    status: item.status,
    attempts: item.attempts,
    ...(item.transferError
      ? { lastError: `${item.transferError.code}: ${item.transferError.description}` }
      : {}),
  }));
  const emails = (await storage.emailMarkers.listForTransfer(transfer.id)).map((marker) => ({
    event: marker.event,
    recipient: marker.recipient,
    state: marker.state,
    ...(marker.sentAt ? { sentAt: marker.sentAt } : {}),
  }));
  const audit = (
    await Promise.all(
      [transfer.sourcePartnerTenantId, transfer.targetPartnerTenantId].map((partner) =>
        storage.audit.list(partner, { transferId: transfer.id, limit: 100 }),
      ),
    )
  )
    .flatMap((page) => page.items)
    .map((record) => ({
      at: record.at,
      operation: record.operation,
      actor: record.actor,
      partner: record.partnerTenantId,
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
  const webhooks = webhookReader ? await readTransferWebhookActivity(webhookReader, transfer) : undefined;
  const { lineItems: _items, ...stored } = transfer;
  const text = [
    `Transfer ${transfer.customerTenantId}/${transfer.id}: ${transfer.status} (version ${transfer.version}, workflow run ${header.workflowRun})`,
    `  source ${transfer.sourcePartnerTenantId}, target ${transfer.targetPartnerTenantId}`,
    `  created ${transfer.createdTime}, accepted ${transfer.acceptedTime ?? '-'}, completed ${transfer.completedTime ?? '-'}, expires ${transfer.expirationTime}`,
    'Workflow runs:',
    ...runs.map(({ run, execution, history }) =>
      [
        `  run ${run}: ${execution ? `${execution.status} (${execution.name}, started ${execution.startDate ?? '?'})` : 'no execution'}`,
        history ? `    states: ${history.statesEntered.join(' > ')}` : '',
        ...(history?.failures ?? []).map(
          (failed) => `    failure: ${failed.type} ${failed.error ?? ''} ${failed.cause ?? ''}`,
        ),
      ]
        .filter(Boolean)
        .join('\n'),
    ),
    'Line items:',
    ...lineItems.map(
      (item) =>
        `  ${item.id} ${item.subscriptionId} ${item.status}, ${item.attempts} attempt(s)${item.lastError ? `, last error ${item.lastError}` : ''}`,
    ),
    'Emails:',
    ...(emails.length > 0
      ? emails.map((email) => `  ${email.event} to ${email.recipient}: ${email.state}`)
      : ['  (none)']),
    'Audit:',
    ...audit.map((entry) => `  ${entry.at} ${entry.operation} by ${entry.actor} (partner ${entry.partner})`),
    ...(webhooks ? describeTransferWebhookActivity(webhooks) : []),
  ].join('\n');
  return { transfer: stored, runs, lineItems, emails, audit, ...(webhooks ? { webhooks } : {}), text };
}
