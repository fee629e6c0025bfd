// The endpoint use cases (create, list, get, update, delete, rotate) wired from the environment: the table only.
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { onceFor } from '#workflow/task-handler.ts';
import { createEndpointService } from './endpoint-service.ts';
import { generateWebhookSecret } from './signing.ts';
import { STORAGE_VARIABLES, webhookStorage } from './storage-wiring.ts';

export const endpointServiceFromEnvironment = onceFor(STORAGE_VARIABLES, () =>
  createEndpointService({
    store: webhookStorage().webhooks,
    urlPolicy: webhookStorage().urlPolicy,
    resolveHost: async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address),
    newEndpointId: randomUUID,
    newSecret: generateWebhookSecret,
    now: () => new Date(),
  }),
);
