// GET /v1/partner: the calling partner's own profile, for any role of that tenant.
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { notFound } from '#shared/http/api-error.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';

const storage = createDynamoDbStorage();

export const handler = defineApiHandler({}, async ({ caller }) => {
  const partner = await storage.directory.getPartner(caller.tenantId);
  if (!partner) throw notFound('The partner profile of your tenant');
  return { statusCode: 200, body: { ...partner, caller: { userId: caller.userId, roles: caller.roles } } };
});
