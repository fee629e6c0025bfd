// The webhook Lambda handlers' entry files: the one list the CDK stack and the local cloud both load them from.
export const DELIVERER_ENTRY = 'functions/webhooks/deliver-webhooks.ts';
export const RELAY_ENTRY = 'functions/webhooks/relay-events.ts';
