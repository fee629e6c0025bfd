// Transfers written straight into the local cloud's storage (built with the domain's own factory), for tests that
// only read: no workflow runs for them. Plus small HTTP helpers shared by the e2e tests of the read side.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Storage } from '#application/ports.ts';
import type {
  Partner,
  Role,
  Subscription,
  Transfer,
  TransferLineItem,
  TransferStatus,
} from '#domain/model.ts';
import { buildLineItem, newTransfer } from '#domain/transfer-factory.ts';
import { SANDBOX_PARTNERS, SANDBOX_SUBSCRIPTIONS } from '#local/sandbox.ts';
import type * as z from '#shared/zod.ts';
import type { TestCloud } from '#test/support/local-cloud.ts';

export function sandboxPartner(tenantId: string): Partner {
  const found = SANDBOX_PARTNERS.find((candidate) => candidate.tenantId === tenantId);
  if (!found) throw new Error(`No sandbox partner ${tenantId}`);
  return found;
}

export function sandboxSubscriptions(
  customerId: string,
  billingPartnerTenantId: string,
): readonly Subscription[] {
  return SANDBOX_SUBSCRIPTIONS.filter(
    (subscription) =>
      subscription.customerId === customerId &&
      subscription.billingPartnerTenantId === billingPartnerTenantId,
  );
}

export interface SeededTransferSpec {
  customerId: string;
  sourceTenantId: string;
  targetTenantId: string;
  createdAt: Date;
  status?: TransferStatus;
  partnerOnRecord?: string;
  customerEmailId?: string;
  /** Becomes the line items (in this order), each with the given status overrides. */
  lineItems?: readonly { subscription: Subscription; overrides?: Partial<TransferLineItem> }[];
  id?: string;
}

export function seededTransfer(spec: SeededTransferSpec): Transfer {
  const target = sandboxPartner(spec.targetTenantId);
  const transfer = newTransfer({
    id: spec.id ?? randomUUID(),
    customerId: spec.customerId,
    request: {
      sourcePartnerTenantId: spec.sourceTenantId,
      sourcePartnerName: 'typed by the target',
      customerEmailId: spec.customerEmailId ?? `contact-${randomUUID()}@customer.example`,
      customerName: 'Seeded customer',
      ...(spec.partnerOnRecord !== undefined ? { partnerOnRecord: spec.partnerOnRecord } : {}),
    },
    caller: { tenantId: target.tenantId, userId: `admin-of-${target.tenantId}`, roles: ['AdminAgent'] },
    sourcePartner: sandboxPartner(spec.sourceTenantId),
    targetPartner: target,
    now: spec.createdAt,
  });
  return {
    ...transfer,
    status: spec.status ?? 'Active',
    lineItems: (spec.lineItems ?? []).map(({ subscription, overrides }, index) => ({
      ...buildLineItem(String(index), subscription, {
        quantity: subscription.quantity,
        ...(subscription.partnerIdOnRecord !== undefined
          ? { partnerIdOnRecord: subscription.partnerIdOnRecord }
          : {}),
      }),
      ...overrides,
    })),
  };
}

export async function storeTransfer(storage: Storage, spec: SeededTransferSpec): Promise<Transfer> {
  const transfer = seededTransfer(spec);
  await storage.transfers.create(transfer);
  return transfer;
}

export interface ApiAnswer {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON body, inspected by the tests.
  body: any;
  headers: Headers;
}

/** One HTTP call against the local cloud's API; the body is parsed when it is JSON. */
export async function callApi(
  cloud: TestCloud,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${cloud.urls.api}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body, headers: response.headers };
}

/** Tokens per (tenant, role), signed once. */
export function tokenCache(cloud: TestCloud) {
  const tokens = new Map<string, Promise<string>>();
  return (tenantId: string, role: Role = 'AdminAgent') => {
    const key = `${tenantId}/${role}`;
    let token = tokens.get(key);
    if (!token) {
      token = cloud.tokenFor(tenantId, role, `${role}-of-${tenantId}`);
      tokens.set(key, token);
    }
    return token;
  };
}

/** The body matches the published schema exactly: nothing missing, nothing extra (zod strips unknown keys). */
export function expectToMatchSchema(schema: z.ZodMiniType, body: unknown): void {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`Response does not match its schema: ${parsed.error.message}`);
  expect(parsed.data).toEqual(body);
}
