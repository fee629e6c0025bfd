// The single DynamoDB table's key schema: the one definition that the CDK stack and the local cloud both create.
// What each key holds is documented in ./transfer-table.md.

export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
} as const;

export const TABLE_INDEXES = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  // Transfers per customer, newest first (the header only, never the line items).
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  // Open transfers by status, oldest first (sparse: a transfer leaves it when it reaches a terminal status).
  { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
  // Sparse: only items with unpublished transfer events (the outbox), found by the event relay.
  { indexName: 'GSI5', partitionKey: 'GSI5PK', sortKey: 'GSI5SK' },
] as const;

export type TableIndexName = (typeof TABLE_INDEXES)[number]['indexName'];

/** Every index projects all attributes; every key attribute is a string. */
export const INDEX_PROJECTION = 'ALL' as const;

/** The attribute that AWS TTL deletes items by (epoch seconds). dynalite has no TTL: readers ignore expired items. */
export const TTL_ATTRIBUTE = 'expiresAt' as const;
