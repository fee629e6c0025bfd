// What the workflow tasks need, wired from the environment once per container, one repository at a time: each task
// wires only the storage ports its use case takes, so its bundle leaves the other repositories' code out. Every
// wiring is marked pure, so that esbuild drops the ones a task does not call. What only one task needs beyond
// storage has its own module (mover-from-environment.ts, notification-settings.ts: SES, faults).

import { createDirectoryReads } from '#adapters/directory-reads.ts';
import { DynamoDbAuditRepository } from '#adapters/dynamodb-audit-repository.ts';
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { DynamoDbEmailMarkerStore } from '#adapters/dynamodb-email-marker-store.ts';
import { DynamoDbSubscriptionRepository } from '#adapters/dynamodb-subscription-repository.ts';
import { DynamoDbTransferRepository } from '#adapters/dynamodb-transfer-repository.ts';
import { createClaimReleases } from '#adapters/subscription-claim-releases.ts';
import type { Clock } from '#application/ports.ts';
import { EMAIL_STALE_CLAIM_SECONDS, loadConfig, TABLE_NAME } from '#shared/config.ts';
import { onceFor } from './task-handler.ts';

export const systemClock: Clock = () => new Date();

/** The variables a client's configuration depends on. */
export const AWS_CLIENT_VARIABLES = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID'] as const;
export const STORAGE_VARIABLES = [...AWS_CLIENT_VARIABLES, 'AWS_ENDPOINT_URL_DYNAMODB', 'TABLE_NAME'];

/** The table: one document client that every repository of the container shares. */
const table = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => ({
  documentClient: createDynamoDbDocumentClient(),
  tableName: loadConfig([TABLE_NAME]).TABLE_NAME,
}));

export const transfersFromEnvironment = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const { documentClient, tableName } = table();
  return new DynamoDbTransferRepository(documentClient, tableName);
});

export const auditFromEnvironment = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const { documentClient, tableName } = table();
  return new DynamoDbAuditRepository(documentClient, tableName);
});

export const subscriptionsFromEnvironment = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const { documentClient, tableName } = table();
  return new DynamoDbSubscriptionRepository(documentClient, tableName);
});

/** What the close and finalise steps need of the subscriptions: releasing this transfer's claims. */
export const claimReleasesFromEnvironment = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const { documentClient, tableName } = table();
  return createClaimReleases(documentClient, tableName);
});

export const directoryFromEnvironment = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const { documentClient, tableName } = table();
  return createDirectoryReads(documentClient, tableName);
});

/** STORAGE_VARIABLES and the claim's lease, written out: a spread would keep this wiring in every task's bundle. */
const EMAIL_MARKER_VARIABLES = [
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'TABLE_NAME',
  'EMAIL_STALE_CLAIM_SECONDS',
];

export const emailMarkersFromEnvironment = /* @__PURE__ */ onceFor(EMAIL_MARKER_VARIABLES, () => {
  const { documentClient, tableName } = table();
  const staleClaimSeconds = loadConfig([EMAIL_STALE_CLAIM_SECONDS]).EMAIL_STALE_CLAIM_SECONDS;
  return new DynamoDbEmailMarkerStore(
    documentClient,
    tableName,
    staleClaimSeconds === undefined ? {} : { staleClaimSeconds },
  );
});
