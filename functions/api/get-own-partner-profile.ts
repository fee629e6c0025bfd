// GET /v1/partner: the calling partner's own profile, for any role of that tenant.

import { DynamoDbDirectoryRepository } from '#adapters/dynamodb-directory-repository.ts';
import { notFound } from '#shared/http/api-error.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { tableFromEnvironment } from './table-from-environment.ts';

const { documentClient, tableName } = tableFromEnvironment();
const directory = new DynamoDbDirectoryRepository(documentClient, tableName);

export const handler = defineApiHandler({}, async ({ caller }) => {
  const partner = await directory.getPartner(caller.tenantId);
  if (!partner) throw notFound('The partner profile of your tenant');
  return { statusCode: 200, body: { ...partner, caller: { userId: caller.userId, roles: caller.roles } } };
});
