// The directory's two reads a workflow or webhook function needs (a partner's admins, a customer's name), on their own:
// DynamoDbDirectoryRepository answers them through these too, while a function that only reads wires these and
// leaves the repository's writes and listings out of its bundle.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryRepository } from '#application/ports.ts';
import type { Customer, Partner } from '#domain/model.ts';
import { getItem, withoutStorageAttributes } from './dynamodb-operations.ts';
import { customerKeys, partnerKeys } from './table-keys.ts';

export type DirectoryReads = Pick<DirectoryRepository, 'getPartner' | 'getCustomer'>;

export async function readPartner(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  tenantId: string,
): Promise<Partner | undefined> {
  const item = await getItem(documentClient, tableName, partnerKeys.profile(tenantId));
  return item && (withoutStorageAttributes(item) as unknown as Partner);
}

export async function readCustomer(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
): Promise<Customer | undefined> {
  const item = await getItem(documentClient, tableName, customerKeys.profile(customerId));
  return item && (withoutStorageAttributes(item) as unknown as Customer);
}

export function createDirectoryReads(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
): DirectoryReads {
  return {
    getPartner: (tenantId) => readPartner(documentClient, tableName, tenantId),
    getCustomer: (customerId) => readCustomer(documentClient, tableName, customerId),
  };
}
