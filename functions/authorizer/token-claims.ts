// The claims a partner token must carry, checked after the signature, issuer, audience and expiry.
import * as z from 'zod';
import { ROLES } from '#domain/model.ts';

export const TOKEN_CLAIMS_SCHEMA = z.object({
  sub: z.string().min(1),
  /** Passed on to the handlers, which refuse the request once it is past (the authorizer's answer is cached). */
  exp: z.number(),
  /** GUIDs compare case-insensitively; storage keys are lower case. */
  tid: z.uuid().toLowerCase(),
  roles: z.array(z.enum(ROLES)).min(1),
});

export type TokenClaims = z.output<typeof TOKEN_CLAIMS_SCHEMA>;
