// The DynamoDB clients every handler shares. The endpoint is never parsed here: the SDK itself reads
// AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL (LocalStack, the embedded local cloud) and otherwise talks to AWS.

import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbClientSettings {
  region?: string;
  /** Only for tests and tools that start their own emulator; handlers rely on the standard env variables. */
  endpoint?: string;
  credentials?: DynamoDBClientConfig['credentials'];
  /** Whole request (send to last byte). Default 5 s: a Lambda must never hang on a stuck connection. */
  requestTimeoutMs?: number;
  /** TCP connect. Default 2 s. */
  connectionTimeoutMs?: number;
  /** SDK attempts including the first (throttling and 5xx are retried by the SDK). Default 3. */
  maxAttempts?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 2_000;

export function createDynamoDbClient(settings: DynamoDbClientSettings = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
}

/** Plain JS objects in and out; undefined attributes are dropped, never written as NULL. */
export function createDynamoDbDocumentClient(
  clientOrSettings: DynamoDBClient | DynamoDbClientSettings = {},
): DynamoDBDocumentClient {
  const client =
    clientOrSettings instanceof DynamoDBClient ? clientOrSettings : createDynamoDbClient(clientOrSettings);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}
