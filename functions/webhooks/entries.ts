// The webhook Lambda handlers: their entry files, the one list the CDK stack and the local cloud both load them from,
// and the AWS actions their code calls (functions/shared/function-access.ts), which CDK grants exactly.
import type { FunctionAccess } from '#shared/function-access.ts';

export const DELIVERER_ENTRY = 'functions/webhooks/deliver-webhooks.ts';
export const RELAY_ENTRY = 'functions/webhooks/relay-events.ts';

/**
 * Reads the transfer (Query), the endpoints, deliveries and partner (GetItem), writes deliveries and the endpoints'
 * failure streak (PutItem), emails a partner's admins when 5 days of failures disable an endpoint; fans an event out
 * to one delivery message per endpoint (SendMessage) and hides a failed one until its retry is due
 * (ChangeMessageVisibility).
 */
export const DELIVERER_ACCESS: FunctionAccess = {
  table: ['GetItem', 'Query', 'PutItem'],
  sendEmail: true,
  webhookQueue: ['SendMessage', 'ChangeMessageVisibility'],
};

/**
 * Finds pending events on the outbox index (Query), reads each transfer's outbox (GetItem), moves a line item's
 * event to its transfer and marks events published with conditional updates (UpdateItem), publishes to the bus.
 */
export const RELAY_ACCESS: FunctionAccess = {
  table: ['GetItem', 'Query', 'UpdateItem'],
  publishEvents: true,
};
