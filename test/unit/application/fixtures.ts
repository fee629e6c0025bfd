// A small world for the use case tests: the domain fixtures' source and target with a customer who may move, its
// subscriptions, in-memory storage and a recording workflow; and a transfer brought to Active through the real use
// cases (create, set line items, await acceptance).
import { awaitAcceptance } from '#application/await-acceptance.ts';
import type { TransferWriteDependencies } from '#application/dependencies.ts';
import { createTransferWriteService } from '#application/transfer-write-service.ts';
import type { Transfer } from '#domain/model.ts';
import {
  CUSTOMER_ID,
  caller,
  relationship,
  SOURCE,
  subscription,
  T0,
  TARGET,
} from '#test/unit/domain/fixtures.ts';
import { type InMemoryStorage, inMemoryStorage, RecordingWorkflow } from './in-memory-storage.ts';

export const SOURCE_ADMIN = caller(SOURCE.tenantId);
export const TARGET_ADMIN = caller(TARGET.tenantId);
export const TOKEN = 'task-token-1';

export interface World {
  storage: InMemoryStorage;
  workflow: RecordingWorkflow;
  deps: TransferWriteDependencies;
  useCases: ReturnType<typeof createTransferWriteService>;
}

/** `now` is T0 plus `clock.offsetMs`, so a test may move time on. */
export function world(subscriptionCount = 3, clock = { offsetMs: 60_000 }): World {
  const storage = inMemoryStorage({
    partners: [SOURCE, TARGET],
    relationships: [relationship(SOURCE.tenantId), relationship(TARGET.tenantId)],
    subscriptions: Array.from({ length: subscriptionCount }, (_, i) => subscription(`sub-${i}`)),
  });
  const workflow = new RecordingWorkflow();
  const deps: TransferWriteDependencies = {
    storage,
    workflow,
    now: () => new Date(T0.getTime() + clock.offsetMs),
    acceptanceWindowDays: 30,
  };
  return { storage, workflow, deps, useCases: createTransferWriteService(deps) };
}

export const createRequest = {
  sourcePartnerTenantId: SOURCE.tenantId,
  sourcePartnerName: SOURCE.name,
  customerEmailId: 'it@customer.example',
};

/** Created by the target, line items set by the source, the workflow waiting with TOKEN. */
export async function activeTransfer(w: World, subscriptionIds: readonly string[]): Promise<Transfer> {
  const { transfer } = await w.useCases.create({
    caller: TARGET_ADMIN,
    customerId: CUSTOMER_ID,
    request: createRequest,
  });
  const withItems = await w.useCases.setLineItems({
    caller: SOURCE_ADMIN,
    customerId: CUSTOMER_ID,
    transferId: transfer.id,
    lineItems: subscriptionIds.map((subscriptionId) => ({ subscriptionId })),
  });
  await awaitAcceptance(w.deps, { customerId: CUSTOMER_ID, transferId: transfer.id, taskToken: TOKEN });
  return withItems;
}

export const actionOn = (transfer: Transfer, as = SOURCE_ADMIN) => ({
  caller: as,
  customerId: transfer.customerTenantId,
  transferId: transfer.id,
});

/** Runs `interloper` once, just before the next call of `method` on `target`: a racing call that wins. */
export function beforeNext<T extends object, K extends keyof T>(
  target: T,
  method: K,
  interloper: () => Promise<unknown>,
): void {
  const original = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const patched = async (...args: unknown[]) => {
    (target as Record<K, unknown>)[method] = original;
    await interloper();
    return original.apply(target, args);
  };
  (target as Record<K, unknown>)[method] = patched;
}

/** Call number `nth` (1 = the next one) of `method` on `target` fails without writing: a crash at that point. */
export function crashAtCall<T extends object, K extends keyof T>(target: T, method: K, nth = 1): void {
  const original = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  let calls = 0;
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    calls += 1;
    if (calls < nth) return original.apply(target, args);
    (target as Record<K, unknown>)[method] = original;
    throw new Error(`simulated crash at ${String(method)}`);
  };
}

export function claimOf(w: World, subscriptionId: string): string | undefined {
  return w.storage.subscriptions.byId.get(subscriptionId)?.openTransferId;
}

export function auditOperations(w: World, transferId: string, tenantId: string): string[] {
  return [...w.storage.audit.records.values()]
    .filter((record) => record.transferId === transferId && record.partnerTenantId === tenantId)
    .map((record) => record.operation)
    .sort();
}

/**
 * Counts every call the code under test makes on the storage ports from now on, as `port.method`. A fake's calls to
 * its own methods are not counted: they run against the uncounted originals.
 */
export function countStorageCalls(w: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [portName, port] of Object.entries(w.storage)) {
    const target = port as Record<string, unknown>;
    let prototype = Object.getPrototypeOf(port) as object | null;
    const methods = new Set<string>(Object.keys(target));
    while (prototype && prototype !== Object.prototype) {
      for (const name of Object.getOwnPropertyNames(prototype)) methods.add(name);
      prototype = Object.getPrototypeOf(prototype) as object | null;
    }
    const originals = new Map<string, (...args: unknown[]) => unknown>();
    const uncounted = new Proxy(target, {
      get: (object, key) =>
        typeof key === 'string' && originals.has(key) ? originals.get(key) : Reflect.get(object, key),
    });
    for (const method of methods) {
      const original = target[method];
      if (method === 'constructor' || typeof original !== 'function') continue;
      originals.set(method, original as (...args: unknown[]) => unknown);
      target[method] = (...args: unknown[]) => {
        const key = `${portName}.${method}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return (original as (...a: unknown[]) => unknown).apply(uncounted, args);
      };
    }
  }
  return counts;
}
