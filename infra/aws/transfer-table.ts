// The single DynamoDB table, built from the same schema constants the local cloud creates its table from.
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INDEX_PROJECTION, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#adapters/table-schema.ts';

export interface TransferTableProps {
  deletionProtection: boolean;
  removalPolicy: RemovalPolicy;
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

const PROJECTIONS: Record<typeof INDEX_PROJECTION, dynamodb.ProjectionType> = {
  ALL: dynamodb.ProjectionType.ALL,
};

export class TransferTable extends Construct {
  readonly table: dynamodb.Table;
  /** Every index by its own ARN, so grants never need `index/*`. */
  readonly indexArns: string[];

  constructor(scope: Construct, id: string, props: TransferTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      // Expired idempotency records (epoch seconds); readers ignore expired items until DynamoDB deletes them.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The outbox relay's fast path (transfer-event-relay.ts): new images of items with unpublished events.
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    for (const index of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: PROJECTIONS[INDEX_PROJECTION],
      });
    }
    this.indexArns = TABLE_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`);
  }
}
