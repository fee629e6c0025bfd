// The webhook store wired from the environment: all most webhook routes need (the table, nothing else), created on
// first use and kept like a warm container's module scope. Queue, email and bus wiring live in their own modules
// (delivery-wiring.ts, relay-wiring.ts) so that a route bundles only the AWS clients it calls.
import { createDynamoDbDocumentClient } from '#adapters/dynamodb-client.ts';
import { DynamoDbWebhookRepository } from '#adapters/dynamodb-webhook-repository.ts';
import { DynamoDbTransferOutbox } from '#adapters/transfer-outbox.ts';
import type { UrlPolicy } from '#domain/webhooks/endpoint-url.ts';
import { DEPLOYMENT_STAGE, loadConfig, TABLE_NAME } from '#shared/config.ts';
import { onceFor } from '#workflow/task-handler.ts';

export const AWS_VARIABLES = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID'];
export const STORAGE_VARIABLES = [
  ...AWS_VARIABLES,
  'AWS_ENDPOINT_URL_DYNAMODB',
  'TABLE_NAME',
  'DEPLOYMENT_STAGE',
];

export const urlPolicyFor = (stage: 'local' | 'localstack' | 'aws'): UrlPolicy =>
  stage === 'local' ? 'local-cloud' : 'public-https';

export const webhookStorage = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const documentClient = createDynamoDbDocumentClient();
  const { TABLE_NAME: tableName, DEPLOYMENT_STAGE: stage } = loadConfig([TABLE_NAME, DEPLOYMENT_STAGE]);
  return {
    documentClient,
    tableName,
    webhooks: new DynamoDbWebhookRepository(documentClient, tableName),
    urlPolicy: urlPolicyFor(stage),
  };
});

export const deliveryStoreFromEnvironment = /* @__PURE__ */ onceFor(
  STORAGE_VARIABLES,
  () => webhookStorage().webhooks,
);

/** The webhook side of `ops inspect`: outbox and deliveries of one transfer (needs only the table). */
export const transferWebhookActivityFromEnvironment = /* @__PURE__ */ onceFor(STORAGE_VARIABLES, () => {
  const { documentClient, tableName, webhooks } = webhookStorage();
  return {
    outbox: new DynamoDbTransferOutbox(documentClient, tableName),
    endpoints: webhooks,
    deliveries: webhooks,
  };
});
