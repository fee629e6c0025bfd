// Each email goes out at most once per (transfer, event, recipient). A sender first claims the marker ('sending', with
// a claim token and time), sends, then marks it 'sent' (final). If the sender crashes after claiming, the claim goes
// stale after `staleClaimSeconds` and a retry may take it over (`takenOver`: the email may already be out, so the
// notifier records it instead of sending again); after a refused send the sender releases the claim.

import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  Clock,
  EmailClaim,
  EmailMarker,
  EmailMarkerEntry,
  EmailMarkerStore,
} from '#application/ports.ts';
import {
  callDynamoDb,
  conditionalDelete,
  conditionalPut,
  getItem,
  queryAll,
  type StoredItem,
} from './dynamodb-operations.ts';
import { emailMarkerKeys } from './table-keys.ts';

/** Longer than any send attempt: a claim this old was left by a sender that died. */
export const DEFAULT_STALE_CLAIM_SECONDS = 120;

export interface EmailMarkerStoreOptions {
  now?: Clock;
  /** A 'sending' claim older than this may be taken over. Default DEFAULT_STALE_CLAIM_SECONDS. */
  staleClaimSeconds?: number;
}

export class DynamoDbEmailMarkerStore implements EmailMarkerStore {
  private readonly now: Clock;
  private readonly staleClaimMs: number;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: EmailMarkerStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.staleClaimMs = (options.staleClaimSeconds ?? DEFAULT_STALE_CLAIM_SECONDS) * 1000;
  }

  async claim(transferId: string, event: string, recipient: string): Promise<EmailClaim> {
    const key = emailMarkerKeys.marker(transferId, event, recipient);
    const claimToken = randomUUID();
    const nowMs = this.now().getTime();
    const put = (condition: string, values?: Record<string, unknown>) =>
      conditionalPut(this.documentClient, {
        TableName: this.tableName,
        Item: {
          ...key,
          entityType: 'EmailMarker',
          transferId,
          event,
          recipient,
          state: 'sending',
          claimToken,
          claimedAtMs: nowMs,
        },
        ConditionExpression: condition,
        ...(values
          ? { ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: values }
          : {}),
      });
    if (await put('attribute_not_exists(PK)')) return { claimed: true, claimToken, takenOver: false };
    // Taking over a stale claim is a separate write, so the caller learns that an earlier sender died mid-way.
    if (
      await put('#state = :sending AND claimedAtMs <= :staleBefore', {
        ':sending': 'sending',
        ':staleBefore': nowMs - this.staleClaimMs,
      })
    )
      return { claimed: true, claimToken, takenOver: true };
    const current = await getItem(this.documentClient, this.tableName, key);
    // Released between our write and this read: report it as in flight; the caller's retry will claim it.
    return { claimed: false, state: current?.state === 'sent' ? 'sent' : 'sending' };
  }

  async markSent(
    transferId: string,
    event: string,
    recipient: string,
    sent: { messageId?: string } = {},
  ): Promise<void> {
    const nowMs = this.now().getTime();
    await callDynamoDb('UpdateItem', () =>
      this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: emailMarkerKeys.marker(transferId, event, recipient),
          UpdateExpression:
            'SET #state = :sent, sentAtMs = :now, claimedAtMs = if_not_exists(claimedAtMs, :now), ' +
            'transferId = :transferId, event = :event, recipient = :recipient, entityType = :entityType' +
            (sent.messageId === undefined ? '' : ', messageId = :messageId'),
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':now': nowMs,
            ':transferId': transferId,
            ':event': event,
            ':recipient': recipient,
            ':entityType': 'EmailMarker',
            ...(sent.messageId === undefined ? {} : { ':messageId': sent.messageId }),
          },
        }),
      ),
    );
  }

  async release(transferId: string, event: string, recipient: string, claimToken: string): Promise<boolean> {
    const released = await conditionalDelete(this.documentClient, {
      TableName: this.tableName,
      Key: emailMarkerKeys.marker(transferId, event, recipient),
      ConditionExpression: '#state = :sending AND claimToken = :claimToken',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':sending': 'sending', ':claimToken': claimToken },
    });
    return released !== undefined;
  }

  async get(transferId: string, event: string, recipient: string): Promise<EmailMarker | undefined> {
    const item = await getItem(
      this.documentClient,
      this.tableName,
      emailMarkerKeys.marker(transferId, event, recipient),
    );
    return item ? toMarker(item) : undefined;
  }

  async listForTransfer(transferId: string): Promise<EmailMarkerEntry[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': emailMarkerKeys.marker(transferId, 'x', 'x').PK },
    });
    return items.map((item) => {
      const sortKey = String(item.SK);
      const separator = sortKey.indexOf('#');
      return {
        event: sortKey.slice(0, separator),
        recipient: sortKey.slice(separator + 1),
        ...toMarker(item),
      };
    });
  }
}

function toMarker(item: StoredItem): EmailMarker {
  const marker: EmailMarker = {
    state: item.state === 'sent' ? 'sent' : 'sending',
    claimedAt: new Date(item.claimedAtMs as number).toISOString(),
  };
  if (typeof item.sentAtMs === 'number') marker.sentAt = new Date(item.sentAtMs).toISOString();
  if (typeof item.messageId === 'string') marker.messageId = item.messageId;
  return marker;
}
