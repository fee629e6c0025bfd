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
