// The claims a partner token must carry, checked after the signature, issuer, audience and expiry.
import { ROLES } from '#domain/model.ts';
import * as z from '#shared/zod.ts';

export const TOKEN_CLAIMS_SCHEMA = z.object({
  sub: z.string().check(z.minLength(1)),
  /** Passed on to the handlers, which refuse the request once it is past (the authorizer's answer is cached). */
  exp: z.number(),
  /** GUIDs compare case-insensitively; storage keys are lower case. */
  tid: z.uuid().check(z.toLowerCase()),
  roles: z.array(z.enum(ROLES)).check(z.minLength(1)),
});

export type TokenClaims = z.output<typeof TOKEN_CLAIMS_SCHEMA>;
