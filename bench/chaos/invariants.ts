// The six invariants of the campaign, checked on a table snapshot (and, for some, on what the API, the mail emulator
// and the webhook receiver showed). Safety checks hold at every moment, even while transfers move, and run after
// every restart; completion checks (everything terminal, claims released, completion emails, audit complete) run at
// the end, once every transfer had its generous, bounded chance to finish. Webhooks: webhook-invariants.ts.
import { Checker, type CheckTally } from './checker.ts';
import type { TableSnapshot } from './table-snapshot.ts';
import { checkWebhookSafety } from './webhook-invariants.ts';
import type { ReceivedDelivery, RegisteredEndpoint } from './webhook-log.ts';
import type { AcknowledgedWrite } from './workload.ts';

export type { CheckTally, Violation } from './checker.ts';

const OPEN = new Set(['Active', 'Accepted', 'InProgress']);
const COMPLETED = new Set(['Complete', 'CompletedWithErrors']);
const ACCEPTED_PATH = new Set(['Accepted', 'InProgress', 'Complete', 'CompletedWithErrors']);
/** Operations with one audit entry per partner of their audience; TransferUpdated repeats per revision. */
const ONCE_OPERATIONS = new Set([
  'TransferCreated',
  'TransferAccepted',
  'TransferCanceled',
  'TransferExpired',
  'TransferCompleted',
]);

export interface SentMail {
  messageId: string;
  transferId: string;
  subject: string;
  recipient: string;
}

/** Invariants that must hold at any moment; `terminalSeen` remembers the first terminal status of each transfer. */
export function checkSafety(
  snapshot: TableSnapshot,
  acknowledged: readonly AcknowledgedWrite[],
  terminalSeen: Map<string, string>,
  mail: readonly SentMail[],
): CheckTally {
  const check = new Checker();
  // 1. one billing owner, consistent with its index key; a move names a transfer whose target owns it, and a
  // Complete line item is a subscription that transfer (or a later one) moved.
  for (const subscription of snapshot.subscriptions.values()) {
    const owner = subscription.billingPartnerTenantId;
    check.expect(
      owner !== undefined && owner !== '' && subscription.gsi2pk === `BILLING#${owner}`,
      1,
      `subscription ${subscription.subscriptionId} has owner '${owner}' but index key '${subscription.gsi2pk}'`,
    );
    if (subscription.movedByTransferId) {
      const mover = snapshot.transfers.get(subscription.movedByTransferId);
      check.expect(
        mover !== undefined && mover.targetPartnerTenantId === owner,
        1,
        `subscription ${subscription.subscriptionId} was moved by ${subscription.movedByTransferId} but is billed by ${owner}, not that transfer's target`,
        subscription.movedByTransferId,
      );
    }
  }
  for (const [transferId, items] of snapshot.lineItems) {
    const header = snapshot.headers.get(transferId);
    for (const item of items.filter((candidate) => candidate.status === 'Complete')) {
      const movedBy = snapshot.subscriptions.get(item.subscriptionId)?.movedByTransferId;
      const mover = movedBy ? snapshot.transfers.get(movedBy) : undefined;
      check.expect(
        movedBy === transferId ||
          (mover !== undefined && header !== undefined && mover.createdTime > header.createdTime),
        1,
        `line item for ${item.subscriptionId} is Complete in ${transferId} but the subscription was moved by '${movedBy ?? 'nobody'}'`,
        transferId,
      );
    }
  }
  // 3. terminal states never change.
  for (const header of snapshot.headers.values()) {
    const seen = terminalSeen.get(header.id);
    if (seen !== undefined)
      check.expect(
        header.status === seen,
        3,
        `transfer was ${seen} (terminal) and is now ${header.status}`,
        header.id,
      );
    else if (!OPEN.has(header.status)) terminalSeen.set(header.id, header.status);
  }
  // 4. at most one email per (transfer, subject, recipient) among everything the mail emulator showed.
  const mailKeys = new Map<string, Set<string>>();
  for (const email of mail) {
    const key = `${email.transferId}|${email.subject}|${email.recipient}`;
    mailKeys.set(key, (mailKeys.get(key) ?? new Set()).add(email.messageId));
  }
  for (const [key, ids] of mailKeys)
    check.expect(ids.size <= 1, 4, `email sent ${ids.size} times: ${key}`, key.split('|')[0]);
  // 5. every acknowledged write is visible.
  for (const write of acknowledged) {
    const header = snapshot.headers.get(write.transferId);
    check.expect(
      header !== undefined,
      5,
      `acknowledged ${write.kind} (step ${write.step}) but the transfer is not stored`,
      write.transferId,
    );
    if (!header) continue;
    if (write.kind === 'submit' || write.kind === 'accept-in-one-call')
      check.expect(
        ACCEPTED_PATH.has(header.status),
        5,
        `acknowledged ${write.kind} (step ${write.step}) but the transfer is ${header.status}`,
        write.transferId,
      );
    if (write.kind === 'cancel')
      check.expect(
        header.status === 'Canceled',
        5,
        `acknowledged cancel (step ${write.step}) but the transfer is ${header.status}`,
        write.transferId,
      );
  }
  // 6. audit entries at most once per (transfer, operation, partner) for the once-only operations.
  const auditCounts = new Map<string, number>();
  for (const record of snapshot.audit.filter((candidate) => ONCE_OPERATIONS.has(candidate.operation))) {
    const key = `${record.transferId}|${record.operation}|${record.partnerTenantId}`;
    auditCounts.set(key, (auditCounts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of auditCounts)
    check.expect(count === 1, 6, `${count} audit entries for ${key}`, key.split('|')[0]);
  return check;
}

/**
 * The safety invariants on a fresh snapshot of the table. Only the writes acknowledged before the snapshot began can
 * be asked of it: the workload goes on while the table is scanned, and a write acknowledged during the scan may have
 * landed behind it (a retried write commits right after a restart, exactly when this check runs). The next check
 * asks for it.
 */
export async function safetyCheck(
  table: { snapshot(): Promise<TableSnapshot> },
  acknowledged: readonly AcknowledgedWrite[],
  terminalSeen: Map<string, string>,
  mail: readonly SentMail[],
  webhooks?: { received: readonly ReceivedDelivery[]; endpoints: readonly RegisteredEndpoint[] },
): Promise<CheckTally> {
  const acknowledgedBefore = [...acknowledged];
  // Likewise a delivery: its stored record and its event are only certain to be in a snapshot begun after it arrived.
  const receivedBefore = [...(webhooks?.received ?? [])];
  const snapshot = await table.snapshot();
  const safety = checkSafety(snapshot, acknowledgedBefore, terminalSeen, mail);
  if (!webhooks) return safety;
  const delivered = checkWebhookSafety(snapshot, receivedBefore, webhooks.endpoints);
  return {
    checks: safety.checks + delivered.checks,
    violations: [...safety.violations, ...delivered.violations],
  };
}

function recipientsOfCompletion(snapshot: TableSnapshot, transferId: string): string[] {
  const header = snapshot.headers.get(transferId);
  if (!header) return [];
  const addresses = [
    ...(snapshot.adminEmails.get(header.sourcePartnerTenantId) ?? []),
    ...(snapshot.adminEmails.get(header.targetPartnerTenantId) ?? []),
    header.customerEmailId,
  ];
  return [...new Set(addresses.map((address) => address.trim().toLowerCase()).filter((a) => a !== ''))];
}

/** Invariants about eventual completion: run when the campaign is over and every transfer had its time. */
export function checkCompletion(snapshot: TableSnapshot): CheckTally {
  const check = new Checker();
  // 3. everything terminal.
  for (const header of snapshot.headers.values())
    check.expect(!OPEN.has(header.status), 3, `transfer is still ${header.status}`, header.id);
  // 1. a moved subscription's line item is Complete in the transfer that moved it.
  for (const subscription of snapshot.subscriptions.values()) {
    if (!subscription.movedByTransferId) continue;
    const item = snapshot.lineItems
      .get(subscription.movedByTransferId)
      ?.find((candidate) => candidate.subscriptionId === subscription.subscriptionId);
    check.expect(
      item?.status === 'Complete',
      1,
      `subscription ${subscription.subscriptionId} is billed by the target but its line item is ${item?.status ?? 'missing'}`,
      subscription.movedByTransferId,
    );
  }
  // 2. no claim outlives its transfer; no subscription in two open transfers.
  for (const subscription of snapshot.subscriptions.values()) {
    if (!subscription.openTransferId) continue;
    const holder = snapshot.headers.get(subscription.openTransferId);
    check.expect(
      holder !== undefined && OPEN.has(holder.status),
      2,
      `subscription ${subscription.subscriptionId} is still claimed by a ${holder?.status ?? 'missing'} transfer`,
      subscription.openTransferId,
    );
  }
  const openBySubscription = new Map<string, string[]>();
  for (const [transferId, items] of snapshot.lineItems) {
    if (!OPEN.has(snapshot.headers.get(transferId)?.status ?? '')) continue;
    for (const item of items)
      openBySubscription.set(item.subscriptionId, [
        ...(openBySubscription.get(item.subscriptionId) ?? []),
        transferId,
      ]);
  }
  for (const [subscriptionId, transfers] of openBySubscription)
    check.expect(
      transfers.length <= 1,
      2,
      `subscription ${subscriptionId} is in ${transfers.length} open transfers`,
      transfers[0],
    );
  // 4. completion emails sent, or their failure recorded.
  const sentMarkers = new Set(
    snapshot.emailMarkers
      .filter((marker) => marker.state === 'sent')
      .map((marker) => `${marker.transferId}|${marker.key.toLowerCase()}`),
  );
  for (const header of snapshot.headers.values()) {
    if (!COMPLETED.has(header.status)) continue;
    for (const recipient of recipientsOfCompletion(snapshot, header.id)) {
      const recorded = header.notificationErrors.some(
        (error) => error.event === 'TransferCompleted' && error.recipient === recipient,
      );
      check.expect(
        sentMarkers.has(`${header.id}|transfercompleted#${recipient}`) || recorded,
        4,
        `no completion email to ${recipient} and no notification error recorded`,
        header.id,
      );
    }
  }
  // 6. every state change audited.
  const audited = new Set(snapshot.audit.map((record) => `${record.transferId}|${record.operation}`));
  for (const header of snapshot.headers.values()) {
    const expected = ['TransferCreated'];
    if (ACCEPTED_PATH.has(header.status)) expected.push('TransferAccepted');
    if (COMPLETED.has(header.status)) expected.push('TransferCompleted');
    if (header.status === 'Canceled') expected.push('TransferCanceled');
    if (header.status === 'Expired') expected.push('TransferExpired');
    for (const operation of expected)
      check.expect(audited.has(`${header.id}|${operation}`), 6, `no ${operation} audit entry`, header.id);
  }
  return check;
}
