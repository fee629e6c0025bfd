// GET /v1/partner: the calling partner's own profile, for any role of that tenant.

import { notFound } from '#shared/http/api-error.ts';
import { defineApiHandler } from '#shared/http/api-handler.ts';
import { storageFromEnvironment } from './storage-from-environment.ts';

const storage = storageFromEnvironment();

export const handler = defineApiHandler({}, async ({ caller }) => {
  const partner = await storage.directory.getPartner(caller.tenantId);
  if (!partner) throw notFound('The partner profile of your tenant');
  return { statusCode: 200, body: { ...partner, caller: { userId: caller.userId, roles: caller.roles } } };
});
