// GET /v1/health: liveness for load balancers and the local cloud's start-up check; no token, no I/O.
import { defineApiHandler } from '#shared/http/api-handler.ts';

export const handler = defineApiHandler({ authorized: false }, async () => ({
  statusCode: 200,
  body: { status: 'ok', service: 'partner-transfers' },
}));
