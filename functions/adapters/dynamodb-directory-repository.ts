// Partners, sandbox users, customers and relationships in the single table.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirectoryRepository, Page, PageRequest, PutOptions } from '#application/ports.ts';
import type { Customer, Partner, Relationship, SandboxUser } from '#domain/model.ts';
import { readCustomer, readPartner } from './directory-reads.ts';
import {
  getItem,
  putItem,
  queryPage,
  type StoredItem,
  withoutStorageAttributes,
} from './dynamodb-operations.ts';
import {
  customerKeys,
  customerPartition,
  INDEX_KEY_NAMES,
  PRIMARY_KEY_NAMES,
  partnerKeys,
  relationshipKeys,
  userKeys,
} from './table-keys.ts';

const GSI1_TOKEN_KEYS = [...PRIMARY_KEY_NAMES, ...INDEX_KEY_NAMES.GSI1];

export class DynamoDbDirectoryRepository implements DirectoryRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  putPartner(partner: Partner, options?: PutOptions): Promise<boolean> {
    return putItem(
      this.documentClient,
      this.tableName,
      {
        ...partner,
        ...partnerKeys.profile(partner.tenantId),
        GSI1PK: partnerKeys.allPartnersPartition,
        GSI1SK: partnerKeys.allPartnersSortKey(partner.tenantId),
        entityType: 'Partner',
      },
      options,
    );
  }

  getPartner(tenantId: string): Promise<Partner | undefined> {
    return readPartner(this.documentClient, this.tableName, tenantId);
  }

  listPartners(page: PageRequest = {}): Promise<Page<Partner>> {
    return this.listGsi1(partnerKeys.allPartnersPartition, page, (item) => item as unknown as Partner);
  }

  putUser(user: SandboxUser, options?: PutOptions): Promise<boolean> {
    return putItem(
      this.documentClient,
      this.tableName,
      {
        ...user,
        ...userKeys.user(user.tenantId, user.userId),
        GSI1PK: userKeys.byIdPartition(user.userId),
        GSI1SK: userKeys.byIdSortKey,
        entityType: 'SandboxUser',
      },
      options,
    );
  }

  async getUser(tenantId: string, userId: string): Promise<SandboxUser | undefined> {
    const item = await getItem(this.documentClient, this.tableName, userKeys.user(tenantId, userId));
    return item && (withoutStorageAttributes(item) as unknown as SandboxUser);
  }

  async findUserById(userId: string): Promise<SandboxUser | undefined> {
    const page = await this.listGsi1(
      userKeys.byIdPartition(userId),
      { limit: 1 },
      (item) => item as unknown as SandboxUser,
    );
    return page.items[0];
  }

  listUsersOfPartner(tenantId: string, page: PageRequest = {}): Promise<Page<SandboxUser>> {
    const partition = partnerKeys.profile(tenantId).PK;
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': userKeys.usersOfPartnerPrefix },
        ConsistentRead: true,
      },
      page,
      { keyNames: PRIMARY_KEY_NAMES, partitionKeyName: 'PK', partitionKeyValue: partition },
      (item) => withoutStorageAttributes(item) as unknown as SandboxUser,
    );
  }

  putCustomer(customer: Customer, options?: PutOptions): Promise<boolean> {
    return putItem(
      this.documentClient,
      this.tableName,
      {
        ...customer,
        ...customerKeys.profile(customer.customerId),
        GSI1PK: customerKeys.allCustomersPartition,
        GSI1SK: customerKeys.allCustomersSortKey(customer.customerId),
        entityType: 'Customer',
      },
      options,
    );
  }

  getCustomer(customerId: string): Promise<Customer | undefined> {
    return readCustomer(this.documentClient, this.tableName, customerId);
  }

  listCustomers(page: PageRequest = {}): Promise<Page<Customer>> {
    return this.listGsi1(customerKeys.allCustomersPartition, page, (item) => item as unknown as Customer);
  }

  putRelationship(relationship: Relationship, options?: PutOptions): Promise<boolean> {
    return putItem(
      this.documentClient,
      this.tableName,
      {
        ...relationship,
        ...relationshipKeys.relationship(relationship.customerId, relationship.partnerTenantId),
        GSI1PK: relationshipKeys.ofPartnerPartition(relationship.partnerTenantId),
        GSI1SK: relationshipKeys.ofPartnerSortKey(relationship.customerId),
        entityType: 'Relationship',
      },
      options,
    );
  }

  async getRelationship(customerId: string, partnerTenantId: string): Promise<Relationship | undefined> {
    const item = await getItem(
      this.documentClient,
      this.tableName,
      relationshipKeys.relationship(customerId, partnerTenantId),
    );
    return item && (withoutStorageAttributes(item) as unknown as Relationship);
  }

  listRelationshipsOfCustomer(customerId: string, page: PageRequest = {}): Promise<Page<Relationship>> {
    const partition = customerPartition(customerId);
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': relationshipKeys.ofCustomerPrefix },
        ConsistentRead: true,
      },
      page,
      { keyNames: PRIMARY_KEY_NAMES, partitionKeyName: 'PK', partitionKeyValue: partition },
      (item) => withoutStorageAttributes(item) as unknown as Relationship,
    );
  }

  listRelationshipsOfPartner(partnerTenantId: string, page: PageRequest = {}): Promise<Page<Relationship>> {
    return this.listGsi1(
      relationshipKeys.ofPartnerPartition(partnerTenantId),
      page,
      (item) => item as unknown as Relationship,
    );
  }

  private listGsi1<T>(
    partition: string,
    page: PageRequest,
    toEntity: (item: StoredItem) => T,
  ): Promise<Page<T>> {
    return queryPage(
      this.documentClient,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      },
      page,
      { keyNames: GSI1_TOKEN_KEYS, partitionKeyName: 'GSI1PK', partitionKeyValue: partition },
      (item) => toEntity(withoutStorageAttributes(item)),
    );
  }
}
