// The one route table: the local API Gateway stand-in and the CDK REST API are both built from it.
import { type FunctionAccess, RESUMES_ACCEPTANCE_WAIT, TRANSFER_WRITE } from '#shared/function-access.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a route's function may touch, action by action; CDK grants exactly this (functions/shared/function-access.ts). */
export interface RouteAccess extends FunctionAccess {
  /** The secret that seals continuation tokens (a listing), resolved by CloudFormation at deploy time. */
  continuationTokenSecret?: boolean;
}

export interface RouteDefinition {
  /** Stable identifier, used for the Lambda function's logical id. */
  id: string;
  method: HttpMethod;
  /** API Gateway resource path with `{param}` placeholders. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** false only for routes that must answer without a token (health, API description). */
  authorized: boolean;
  access: RouteAccess;
  summary: string;
}

const TRANSFER = '/v1/customers/{customerId}/transfers/{transferId}';
const WEBHOOK = '/v1/webhooks/{webhookId}';

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'getHealth',
    method: 'GET',
    path: '/v1/health',
    entry: 'functions/api/get-health.ts',
    authorized: false,
    access: { table: [] },
    summary: 'Liveness check.',
  },
  {
    id: 'getApiDescription',
    method: 'GET',
    path: '/v1/openapi.json',
    entry: 'functions/api/get-api-description.ts',
    authorized: false,
    access: { table: [] },
    summary: 'OpenAPI description of this API, generated from the payload schemas.',
  },
  {
    id: 'getOwnPartnerProfile',
    method: 'GET',
    path: '/v1/partner',
    entry: 'functions/api/get-own-partner-profile.ts',
    authorized: true,
    access: { table: ['GetItem'] },
    summary: "The calling partner's own profile.",
  },
  {
    id: 'createTransfer',
    method: 'POST',
    path: '/v1/customers/{customerId}/transfers',
    entry: 'functions/api/create-transfer.ts',
    authorized: true,
    access: { table: TRANSFER_WRITE, workflow: ['StartExecution'] },
    summary: 'Target partner admin agent creates a transfer request.',
  },
  {
    id: 'listCustomerTransfers',
    method: 'GET',
    path: '/v1/customers/{customerId}/transfers',
    entry: 'functions/api/list-customer-transfers.ts',
    authorized: true,
    access: { table: ['GetItem', 'Query'], continuationTokenSecret: true },
    summary: "The customer's transfers that the caller is a party to.",
  },
  {
    id: 'getTransfer',
    method: 'GET',
    path: TRANSFER,
    entry: 'functions/api/get-transfer.ts',
    authorized: true,
    access: { table: ['GetItem', 'Query'] },
    summary: 'One transfer with its line items and progress.',
  },
  {
    id: 'updateTransfer',
    method: 'PATCH',
    path: TRANSFER,
    entry: 'functions/api/update-transfer.ts',
    authorized: true,
    access: {
      // Line items: the subscriptions read in one batch, the items written and the stale ones deleted in batches.
      table: [...TRANSFER_WRITE, 'BatchGetItem', 'BatchWriteItem'],
      workflow: RESUMES_ACCEPTANCE_WAIT,
    },
    summary: 'Source sets line items (optionally accepting at once); target cancels with "status": "Cancel".',
  },
  {
    id: 'cancelTransferByDelete',
    method: 'DELETE',
    path: TRANSFER,
    entry: 'functions/api/cancel-transfer.ts',
    authorized: true,
    access: { table: TRANSFER_WRITE, workflow: RESUMES_ACCEPTANCE_WAIT },
    summary: 'Alias of POST …/cancel.',
  },
  {
    id: 'submitTransfer',
    method: 'POST',
    path: `${TRANSFER}/submit`,
    entry: 'functions/api/submit-transfer.ts',
    authorized: true,
    access: { table: TRANSFER_WRITE, workflow: RESUMES_ACCEPTANCE_WAIT },
    summary: 'Source partner admin agent accepts the transfer with its line items.',
  },
  {
    id: 'acceptTransfer',
    method: 'POST',
    path: `${TRANSFER}/accept`,
    entry: 'functions/api/submit-transfer.ts',
    authorized: true,
    access: { table: TRANSFER_WRITE, workflow: RESUMES_ACCEPTANCE_WAIT },
    summary: "Alias of POST …/submit (the reference system's legacy accept).",
  },
  {
    id: 'cancelTransfer',
    method: 'POST',
    path: `${TRANSFER}/cancel`,
    entry: 'functions/api/cancel-transfer.ts',
    authorized: true,
    access: { table: TRANSFER_WRITE, workflow: RESUMES_ACCEPTANCE_WAIT },
    summary: 'Target partner admin agent cancels a pending transfer.',
  },
  {
    id: 'listPartnerTransfers',
    method: 'GET',
    path: '/v1/transfers',
    entry: 'functions/api/list-partner-transfers.ts',
    authorized: true,
    access: { table: ['Query'], continuationTokenSecret: true },
    summary: "The caller partner's inbox (incoming) or outbox (outgoing) across customers.",
  },
  {
    id: 'getSubscriptionTransferEligibility',
    method: 'GET',
    path: '/v1/customers/{customerId}/subscriptions/{subscriptionId}/transfer-eligibility',
    entry: 'functions/api/get-subscription-transfer-eligibility.ts',
    authorized: true,
    access: { table: ['GetItem'] },
    summary: 'Whether and why a subscription the caller bills can or cannot be transferred.',
  },
  {
    id: 'listCustomerTransferEligibility',
    method: 'GET',
    path: '/v1/customers/{customerId}/transfer-eligibility',
    entry: 'functions/api/list-customer-transfer-eligibility.ts',
    authorized: true,
    access: { table: ['Query'], continuationTokenSecret: true },
    summary: 'Eligibility of every subscription of the customer that the caller bills.',
  },
  {
    id: 'listCustomerSubscriptions',
    method: 'GET',
    path: '/v1/customers/{customerId}/subscriptions',
    entry: 'functions/api/list-customer-subscriptions.ts',
    authorized: true,
    access: { table: ['Query'], continuationTokenSecret: true },
    summary: "The customer's subscriptions that the caller bills.",
  },
  {
    id: 'listRelationships',
    method: 'GET',
    path: '/v1/relationships',
    entry: 'functions/api/list-relationships.ts',
    authorized: true,
    access: { table: ['GetItem', 'Query'], continuationTokenSecret: true },
    summary: "The caller partner's customer relationships.",
  },
  {
    id: 'listCustomerPartners',
    method: 'GET',
    path: '/v1/customers/{customerId}/partners',
    entry: 'functions/api/list-customer-partners.ts',
    authorized: true,
    // The caller's own relationship and each partner's profile (GetItem), the customer's relationships (Query).
    access: { table: ['GetItem', 'Query'], continuationTokenSecret: true },
    summary: "The customer's other partners, for a partner that has a relationship with the customer too.",
  },
  {
    id: 'listAuditRecords',
    method: 'GET',
    path: '/v1/audit-records',
    entry: 'functions/api/list-audit-records.ts',
    authorized: true,
    access: { table: ['Query'], continuationTokenSecret: true },
    summary: "The caller partner's audit entries.",
  },
  {
    id: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    entry: 'functions/api/webhooks/create-webhook.ts',
    authorized: true,
    access: { table: ['GetItem', 'PutItem'] },
    summary:
      'Admin agent registers an endpoint for transfer events; the answer shows its signing secret once.',
  },
  {
    id: 'listWebhooks',
    method: 'GET',
    path: '/v1/webhooks',
    entry: 'functions/api/webhooks/list-webhooks.ts',
    authorized: true,
    access: { table: ['GetItem'], continuationTokenSecret: true },
    summary: "The caller partner's webhook endpoints.",
  },
  {
    id: 'getWebhook',
    method: 'GET',
    path: WEBHOOK,
    entry: 'functions/api/webhooks/get-webhook.ts',
    authorized: true,
    access: { table: ['GetItem'] },
    summary: 'One webhook endpoint.',
  },
  {
    id: 'updateWebhook',
    method: 'PATCH',
    path: WEBHOOK,
    entry: 'functions/api/webhooks/update-webhook.ts',
    authorized: true,
    access: { table: ['GetItem', 'PutItem'] },
    summary: "Admin agent changes an endpoint's URL, events or description, or disables / re-enables it.",
  },
  {
    id: 'deleteWebhook',
    method: 'DELETE',
    path: WEBHOOK,
    entry: 'functions/api/webhooks/delete-webhook.ts',
    authorized: true,
    access: { table: ['GetItem', 'PutItem'] },
    summary: 'Admin agent deletes an endpoint.',
  },
  {
    id: 'rotateWebhookSecret',
    method: 'POST',
    path: `${WEBHOOK}/rotate-secret`,
    entry: 'functions/api/webhooks/rotate-webhook-secret.ts',
    authorized: true,
    access: { table: ['GetItem', 'PutItem'] },
    summary: 'Admin agent gets a new signing secret; the old one keeps verifying for 24 hours.',
  },
  {
    id: 'testWebhook',
    method: 'POST',
    path: `${WEBHOOK}/test`,
    entry: 'functions/api/webhooks/test-webhook.ts',
    authorized: true,
    access: { table: ['GetItem', 'PutItem'], sendEmail: true },
    summary: 'Admin agent sends a webhook.test event to the endpoint now and sees the attempt.',
  },
  {
    id: 'listWebhookDeliveries',
    method: 'GET',
    path: `${WEBHOOK}/deliveries`,
    entry: 'functions/api/webhooks/list-webhook-deliveries.ts',
    authorized: true,
    access: { table: ['GetItem', 'Query'], continuationTokenSecret: true },
    summary: "The endpoint's deliveries, newest first: event, attempts, last status or error, next attempt.",
  },
  {
    id: 'redeliverWebhookDelivery',
    method: 'POST',
    path: `${WEBHOOK}/deliveries/{deliveryId}/redeliver`,
    entry: 'functions/api/webhooks/redeliver-webhook-delivery.ts',
    authorized: true,
    access: { table: ['GetItem', 'PutItem'], webhookQueue: ['SendMessage'] },
    summary: 'Admin agent queues a delivery for a new round of attempts (same webhook-id).',
  },
];
