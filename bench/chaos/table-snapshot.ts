// Reads the whole table straight through the DynamoDB API (not through the service's adapters, whose bugs the
// campaign looks for), strongly consistent, and sorts it into the entities the invariants talk about. A Scan is fine
// here: the campaign's table is small and this is a test tool, not a request path.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

export interface StoredHeader {
  id: string;
  customerTenantId: string;
  sourcePartnerTenantId: string;
  targetPartnerTenantId: string;
  customerEmailId: string;
  status: string;
  createdTime: string;
  lineItemsRevision?: number;
  notificationErrors: { event: string; recipient: string }[];
  /** The outbox: how many events the transfer recorded (its last sequence number), and how many await the relay. */
  eventCount: number;
  pendingEvents: number;
}

export interface StoredLineItem {
  transferId: string;
  revision: number;
  subscriptionId: string;
  status: string;
}

export interface StoredSubscription {
  customerId: string;
  subscriptionId: string;
  billingPartnerTenantId?: string;
  gsi2pk?: string;
  openTransferId?: string;
  movedByTransferId?: string;
}

/** What never changes once a transfer is created. */
export interface TransferFacts {
  targetPartnerTenantId: string;
  createdTime: string;
}

export interface TableSnapshot {
  headers: Map<string, StoredHeader>;
  /**
   * Every transfer either pass saw: one created during the snapshot (after the first pass went by) may already have
   * moved subscriptions that the second pass reads, and is judged by these facts.
   */
  transfers: Map<string, TransferFacts>;
  /** Current-revision line items of each transfer. */
  lineItems: Map<string, StoredLineItem[]>;
  subscriptions: Map<string, StoredSubscription>;
  audit: { transferId: string; operation: string; partnerTenantId: string; id: string }[];
  emailMarkers: { transferId: string; key: string; state: string }[];
  adminEmails: Map<string, string[]>;
  /** Webhook deliveries the service stored (one per event and endpoint), read in the second pass. */
  webhookDeliveries: StoredWebhookDelivery[];
  /** Items still in the outbox index (GSI5): unpublished events on headers and parked line item failures. */
  outboxPending: number;
}

export interface StoredWebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  type: string;
  transferId: string;
  sequence?: number;
  status: string;
  attemptCount: number;
}

type Row = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function tableReader(endpoint: string, tableName: string) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 5,
    }),
  );
  async function scanAll(): Promise<Row[]> {
    const rows: Row[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      rows.push(...((page.Items ?? []) as Row[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  /**
   * Two passes: transfers and line items first, subscriptions, claims and markers after. A line item's `Complete`
   * is written after its subscription moved, so reading items before subscriptions never shows a move that is not
   * there yet, even while the cloud runs.
   */
  async function snapshot(): Promise<TableSnapshot> {
    const first = await scanAll();
    const second = await scanAll();
    const headers = new Map<string, StoredHeader>();
    const transfers = new Map<string, TransferFacts>();
    const allItems: StoredLineItem[] = [];
    const isHeader = (row: Row) =>
      text(row.PK).startsWith('CUSTOMER#') &&
      text(row.SK).startsWith('TRANSFER#') &&
      !text(row.SK).includes('#ITEM#');
    for (const row of [...first, ...second].filter(isHeader)) {
      transfers.set(text(row.id), {
        targetPartnerTenantId: text(row.targetPartnerTenantId),
        createdTime: text(row.createdTime),
      });
    }
    for (const row of first) {
      const sk = text(row.SK);
      if (!text(row.PK).startsWith('CUSTOMER#') || !sk.startsWith('TRANSFER#')) continue;
      if (sk.includes('#ITEM#')) {
        allItems.push({
          transferId: text(row.transferId),
          revision: Number(row.revision),
          subscriptionId: text(row.subscriptionId),
          status: text(row.status),
        });
        continue;
      }
      const errors = (row.notificationErrorsByKey ?? {}) as Record<
        string,
        { event?: string; recipient?: string }
      >;
      headers.set(text(row.id), {
        id: text(row.id),
        customerTenantId: text(row.customerTenantId),
        sourcePartnerTenantId: text(row.sourcePartnerTenantId),
        targetPartnerTenantId: text(row.targetPartnerTenantId),
        customerEmailId: text(row.customerEmailId),
        status: text(row.status),
        createdTime: text(row.createdTime),
        ...(row.lineItemsRevision === undefined ? {} : { lineItemsRevision: Number(row.lineItemsRevision) }),
        notificationErrors: Object.values(errors).map((entry) => ({
          event: text(entry.event),
          recipient: text(entry.recipient).toLowerCase(),
        })),
        eventCount: Number(row.eventCount ?? 0),
        pendingEvents: Array.isArray(row.pendingEvents) ? row.pendingEvents.length : 0,
      });
    }
    const lineItems = new Map<string, StoredLineItem[]>();
    for (const item of allItems) {
      const header = headers.get(item.transferId);
      if (!header || header.lineItemsRevision !== item.revision) continue;
      lineItems.set(item.transferId, [...(lineItems.get(item.transferId) ?? []), item]);
    }
    const snapshot: TableSnapshot = {
      headers,
      transfers,
      lineItems,
      subscriptions: new Map(),
      audit: [],
      emailMarkers: [],
      adminEmails: new Map(),
      webhookDeliveries: [],
      outboxPending: 0,
    };
    for (const row of second) {
      const pk = text(row.PK);
      const sk = text(row.SK);
      if (row.GSI5PK !== undefined) snapshot.outboxPending += 1;
      if (pk.startsWith('CUSTOMER#') && sk.startsWith('SUBSCRIPTION#')) {
        snapshot.subscriptions.set(text(row.subscriptionId), {
          customerId: text(row.customerId),
          subscriptionId: text(row.subscriptionId),
          ...(row.billingPartnerTenantId === undefined
            ? {}
            : { billingPartnerTenantId: text(row.billingPartnerTenantId) }),
          ...(row.GSI2PK === undefined ? {} : { gsi2pk: text(row.GSI2PK) }),
          ...(row.openTransferId === undefined ? {} : { openTransferId: text(row.openTransferId) }),
          ...(row.movedByTransferId === undefined ? {} : { movedByTransferId: text(row.movedByTransferId) }),
        });
      } else if (pk.startsWith('AUDIT#')) {
        snapshot.audit.push({
          id: text(row.id),
          transferId: text(row.transferId),
          operation: text(row.operation),
          partnerTenantId: text(row.partnerTenantId),
        });
      } else if (pk.startsWith('EMAIL#')) {
        snapshot.emailMarkers.push({
          transferId: pk.slice('EMAIL#'.length),
          key: sk,
          state: text(row.state),
        });
      } else if (pk.startsWith('WEBHOOK#') && sk.startsWith('DELIVERY#')) {
        const event = (row.event ?? {}) as {
          id?: unknown;
          type?: unknown;
          subject?: Record<string, unknown>;
        };
        const sequence = event.subject?.sequence;
        snapshot.webhookDeliveries.push({
          id: text(row.id),
          endpointId: text(row.endpointId),
          eventId: text(event.id),
          type: text(event.type),
          transferId: text(event.subject?.transferId),
          ...(typeof sequence === 'number' ? { sequence } : {}),
          status: text(row.status),
          attemptCount: Number(row.attemptCount ?? 0),
        });
      } else if (pk.startsWith('PARTNER#') && sk === 'PROFILE') {
        snapshot.adminEmails.set(text(row.tenantId), (row.adminEmails as string[] | undefined) ?? []);
      }
    }
    return snapshot;
  }

  return { snapshot, close: () => client.destroy() };
}
