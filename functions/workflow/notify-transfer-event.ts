// NotifyTransferEvent: the emails of one transfer event, each sent at most once per (transfer, event, recipient)
// even when this task runs again (a retry, a duplicate invocation, a resumed workflow).
//   TransferCreated   -> the source partner's admin agents and the customer's address from the request; also the
//                        target's TransferCreated audit entry (in case the API crashed before writing it) and, at the
//                        end, the transfer's `creationNotified` mark that the workflow routes by.
//   TransferCompleted -> the source's and the target's admin agents and the customer.
// Per recipient: claim the marker, send (SDK retries + a bounded retry here), mark it sent. A send that keeps failing
// gives the claim back and is recorded on the transfer (notificationErrors): it never blocks the transfer. A recipient
// whose claim another sender holds right now is left to that sender; the task then fails with NotificationInFlight,
// which the ASL retries until that claim was either sent or went stale (a sender that crashed).
import type { Context } from 'aws-lambda';
import type { DirectoryReads } from '#adapters/directory-reads.ts';
import type { EmailMessage, EmailSender } from '#adapters/ses-email-sender.ts';
import { toEmailSendError } from '#adapters/ses-email-sender.ts';
import { appendAudit } from '#application/audit-trail.ts';
import type { Clock, Storage } from '#application/ports.ts';
import { namedError, transferNotFound } from '#application/workflow-errors.ts';
import { SYSTEM_ACTOR } from '#domain/lifecycle.ts';
import type { Transfer } from '#domain/model.ts';
import { recordEmailFailed } from '#shared/observability/transfer-metrics.ts';
import { WORKFLOW_ERRORS, WORKFLOW_FAULTS } from '#statemachines/workflow-errors.ts';
import {
  auditFromEnvironment,
  directoryFromEnvironment,
  emailMarkersFromEnvironment,
  systemClock,
  transfersFromEnvironment,
} from './dependencies.ts';
import {
  type EmailAudience,
  renderTransferEmail,
  type TransferEmailEvent,
  transferEmailFacts,
} from './email-templates/index.ts';
import { notificationSettingsFromEnvironment } from './notification-settings.ts';
import { defineWorkflowTask } from './task-handler.ts';
import {
  fieldsOf,
  oneOf,
  parseTransferTaskInput,
  type TaskInputParser,
  type TransferTaskInput,
} from './task-inputs.ts';

export interface NotifyTransferEventInput extends TransferTaskInput {
  event: TransferEmailEvent;
}

export const parseNotifyTransferEventInput: TaskInputParser<NotifyTransferEventInput> = (payload) => ({
  ...parseTransferTaskInput(payload),
  event: oneOf(fieldsOf(payload), 'event', ['TransferCreated', 'TransferCompleted']),
});

export interface SendRetryPolicy {
  /** Send calls per recipient (each with the SDK's own retries). */
  attempts: number;
  /** Pause before the 2nd call, doubled before each later one. */
  baseDelayMs: number;
  /** No new call starts within this many ms of the Lambda deadline. */
  deadlineMarginMs: number;
}

export const DEFAULT_SEND_RETRY: SendRetryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  deadlineMarginMs: 10_000,
};

/** The storage a notification touches: the transfer, its partners' admins, its audit entry, the email markers. */
export type NotifyStorage = Pick<Storage, 'transfers' | 'audit' | 'emailMarkers'> & {
  directory: DirectoryReads;
};

export interface NotifyDependencies {
  storage: NotifyStorage;
  now: Clock;
  sender: EmailSender;
  consoleUrl: string;
  retry?: SendRetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export type RecipientOutcome = 'sent' | 'already-sent' | 'in-flight' | 'failed';

export interface NotifyOutput {
  customerId: string;
  transferId: string;
  event: TransferEmailEvent;
  /** One entry per recipient, in sending order (addresses are left out: the execution history keeps outputs). */
  recipients: { audience: EmailAudience; outcome: RecipientOutcome }[];
}

interface Recipient {
  address: string;
  audience: EmailAudience;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every email names the customer: the name given at creation, else the customer's name from the directory (the id
 * only when neither exists).
 */
async function withCustomerName(storage: NotifyStorage, transfer: Transfer): Promise<Transfer> {
  if (transfer.customerName !== undefined) return transfer;
  const customer = await storage.directory.getCustomer(transfer.customerTenantId);
  return customer ? { ...transfer, customerName: customer.name } : transfer;
}

async function adminsOf(storage: NotifyStorage, tenantId: string): Promise<string[]> {
  return (await storage.directory.getPartner(tenantId))?.adminEmails ?? [];
}

/** Who gets the event's email; an address appears once (the first audience wins). */
async function recipientsFor(
  storage: NotifyStorage,
  transfer: Transfer,
  event: TransferEmailEvent,
): Promise<Recipient[]> {
  const candidates: Recipient[] = [];
  const add = (addresses: readonly string[], audience: EmailAudience) => {
    for (const address of addresses) candidates.push({ address: address.trim(), audience });
  };
  add(await adminsOf(storage, transfer.sourcePartnerTenantId), 'sourceAdmin');
  if (event === 'TransferCompleted')
    add(await adminsOf(storage, transfer.targetPartnerTenantId), 'targetAdmin');
  add([transfer.customerEmailId], 'customer');
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = candidate.address.toLowerCase();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function sendWithRetry(
  dependencies: NotifyDependencies,
  message: EmailMessage,
  deadline: number,
): Promise<{ messageId?: string }> {
  const policy = dependencies.retry ?? DEFAULT_SEND_RETRY;
  const sleep = dependencies.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dependencies.sender.send(message);
    } catch (thrown) {
      const error = toEmailSendError(thrown);
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      const outOfTime = Date.now() + delay + policy.deadlineMarginMs > deadline;
      if (!error.retryable || attempt >= policy.attempts || outOfTime) throw error;
      await sleep(delay);
    }
  }
}

/** markSent after a successful send must not be lost to a storage hiccup: that would send the email again. */
async function markSent(
  storage: NotifyStorage,
  transferId: string,
  event: string,
  to: string,
  messageId?: string,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storage.emailMarkers.markSent(transferId, event, to, messageId ? { messageId } : {});
    } catch (error) {
      if (attempt >= 3) throw error;
      await defaultSleep(100 * attempt);
    }
  }
}

async function notifyRecipient(
  dependencies: NotifyDependencies,
  transfer: Transfer,
  event: TransferEmailEvent,
  recipient: Recipient,
  deadline: number,
): Promise<RecipientOutcome> {
  const { storage } = dependencies;
  const rendered = renderTransferEmail(
    event,
    transferEmailFacts(transfer, recipient.audience, dependencies.consoleUrl),
  );
  const claim = await storage.emailMarkers.claim(transfer.id, event, recipient.address);
  if (!claim.claimed) return claim.state === 'sent' ? 'already-sent' : 'in-flight';
  // At most once: an earlier sender died after claiming (perhaps after sending), or SES's answer was lost. Sending
  // again could duplicate the email, so the marker is closed and the doubt recorded on the transfer instead.
  const closeInDoubt = async (description: string): Promise<RecipientOutcome> => {
    recordEmailFailed();
    await markSent(storage, transfer.id, event, recipient.address);
    await storage.transfers.recordNotificationError(transfer.customerTenantId, transfer.id, {
      event,
      recipient: recipient.address,
      description,
    });
    return 'failed';
  };
  if (claim.takenOver)
    return closeInDoubt(
      'An earlier attempt stopped while sending this email; not sent again (at most once).',
    );
  let messageId: string | undefined;
  try {
    ({ messageId } = await sendWithRetry(dependencies, { to: recipient.address, ...rendered }, deadline));
  } catch (thrown) {
    const error = toEmailSendError(thrown);
    if (error.outcomeUnknown)
      return closeInDoubt(`${error.message}; SES may have sent it, so it is not sent again (at most once).`);
    recordEmailFailed();
    await storage.emailMarkers
      .release(transfer.id, event, recipient.address, claim.claimToken)
      .catch(() => false);
    await storage.transfers.recordNotificationError(transfer.customerTenantId, transfer.id, {
      event,
      recipient: recipient.address,
      description: error.message,
    });
    return 'failed';
  }
  await markSent(storage, transfer.id, event, recipient.address, messageId);
  return 'sent';
}

export async function notifyTransferEvent(
  input: NotifyTransferEventInput,
  dependencies: NotifyDependencies,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<NotifyOutput> {
  const { storage } = dependencies;
  const { customerId, transferId, event } = input;
  const stored = await storage.transfers.get(customerId, transferId);
  if (!stored) throw transferNotFound(customerId, transferId);
  const transfer = await withCustomerName(storage, stored);
  if (
    event === 'TransferCompleted' &&
    transfer.status !== 'Complete' &&
    transfer.status !== 'CompletedWithErrors'
  ) {
    throw namedError(
      WORKFLOW_FAULTS.TransferNotCompleted,
      `Transfer ${transferId} is ${transfer.status}, not completed.`,
    );
  }
  const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000);

  if (event === 'TransferCreated') {
    // The API writes this entry when it creates the transfer; a crash right after that write is repaired here.
    const actor = transfer.version === 1 ? transfer.lastModifiedUser : SYSTEM_ACTOR;
    await appendAudit(storage, transfer, 'TransferCreated', actor, transfer.createdTime);
  }

  const outcomes: NotifyOutput['recipients'] = [];
  for (const recipient of await recipientsFor(storage, transfer, event)) {
    const outcome = await notifyRecipient(dependencies, transfer, event, recipient, deadline);
    outcomes.push({ audience: recipient.audience, outcome });
  }
  const inFlight = outcomes.filter((entry) => entry.outcome === 'in-flight');
  if (inFlight.length > 0) {
    throw namedError(
      WORKFLOW_ERRORS.NotificationInFlight,
      `Transfer ${transferId}: ${inFlight.length} ${event} email(s) are being sent by another attempt.`,
    );
  }
  if (event === 'TransferCreated') await storage.transfers.markCreationNotified(customerId, transferId);
  return { customerId, transferId, event, recipients: outcomes };
}

export const handler = defineWorkflowTask(
  'notifyTransferEvent',
  parseNotifyTransferEventInput,
  (input, context) =>
    notifyTransferEvent(
      input,
      {
        storage: {
          transfers: transfersFromEnvironment(),
          directory: directoryFromEnvironment(),
          audit: auditFromEnvironment(),
          emailMarkers: emailMarkersFromEnvironment(),
        },
        now: systemClock,
        ...notificationSettingsFromEnvironment(),
      },
      context,
    ),
);
