// A read or webhook route wires only the adapters its use case calls, so its bundle leaves out the rest of the storage
// (the write side: idempotency, email markers, open transfers, line item writes); no webhook route bundles a JavaScript
// HMAC library (node:crypto signs) or IP range library (node:net). esbuild names every bundled module in a comment
// (unminified), which is what is checked.
import { describe, expect, it } from 'vitest';
import { ourBundledCode } from './our-code-bundle.ts';

const WRITE_SIDE_MODULES = [
  'functions/adapters/dynamodb-storage.ts',
  'functions/adapters/dynamodb-idempotency-store.ts',
  'functions/adapters/dynamodb-email-marker-store.ts',
  'functions/adapters/dynamodb-open-transfers.ts',
  'functions/adapters/transfer-line-item-store.ts',
  'functions/adapters/dynamodb-transfer-repository.ts',
];

describe('route wiring', () => {
  it.each([
    ['get-transfer', 'transfer-queries.ts'],
    ['list-customer-transfers', 'transfer-queries.ts'],
    ['list-partner-transfers', 'transfer-queries.ts'],
    ['get-subscription-transfer-eligibility', 'dynamodb-subscription-repository.ts'],
    ['list-customer-transfer-eligibility', 'dynamodb-subscription-repository.ts'],
    ['list-customer-subscriptions', 'dynamodb-subscription-repository.ts'],
    ['list-relationships', 'dynamodb-directory-repository.ts'],
    ['list-customer-partners', 'dynamodb-directory-repository.ts'],
    ['list-audit-records', 'dynamodb-audit-repository.ts'],
    ['get-own-partner-profile', 'dynamodb-directory-repository.ts'],
  ])('%s bundles the adapter it reads with (%s) and no write-side storage', async (route, adapter) => {
    const code = await ourBundledCode(`functions/api/${route}.ts`);
    expect(code).toContain(`// functions/adapters/${adapter}`);
    for (const module of WRITE_SIDE_MODULES) expect(code).not.toContain(`// ${module}`);
  });

  it.each([
    'create-webhook',
    'get-webhook',
    'list-webhooks',
    'update-webhook',
    'delete-webhook',
    'rotate-webhook-secret',
    'test-webhook',
    'list-webhook-deliveries',
    'redeliver-webhook-delivery',
  ])(
    '%s bundles neither the Standard Webhooks library nor ipaddr.js (node:crypto and node:net)',
    async (route) => {
      const code = await ourBundledCode(`functions/api/webhooks/${route}.ts`);
      expect(code).toContain('// functions/webhooks/endpoint-service.ts');
      expect(code).not.toContain('standardwebhooks');
      expect(code).not.toContain('ipaddr.js');
    },
  );

  it('test-webhook signs its one attempt without the whole storage', async () => {
    const code = await ourBundledCode('functions/api/webhooks/test-webhook.ts');
    expect(code).toContain('// functions/webhooks/signing.ts');
    for (const module of WRITE_SIDE_MODULES) expect(code).not.toContain(`// ${module}`);
  });
});
