// The use cases behind /v1/webhooks: register, change, rotate the secret of and delete a partner's endpoints. Admin
// agents write; every role of the partner reads. A partner only ever sees its own endpoints (others' ids are 404).
// All of a partner's endpoints are one stored document, changed by read-modify-write with a version check, so the
// 10-endpoint limit holds under concurrent requests and a crash leaves either the old or the new document.

import type { WebhookEndpointStore } from '#application/webhook-ports.ts';
import { isAdminAgent } from '#domain/authorization.ts';
import { DomainError, failure } from '#domain/errors.ts';
import type { Caller } from '#domain/model.ts';
import { checkEndpointUrl, isPublicAddress, type UrlPolicy } from '#domain/webhooks/endpoint-url.ts';
import type { EventSubscription } from '#domain/webhooks/event-types.ts';
import type { WebhookEndpoint } from '#domain/webhooks/model.ts';
import { changePartnerEndpoints } from './endpoint-document.ts';

export const MAX_ENDPOINTS_PER_PARTNER = 10;
/** How long a rotated-out secret keeps signing. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface EndpointServiceDependencies {
  store: WebhookEndpointStore;
  urlPolicy: UrlPolicy;
  /** Every address a host name resolves to (only asked under the public-https policy). */
  resolveHost(hostname: string): Promise<string[]>;
  newEndpointId(): string;
  newSecret(): string;
  now(): Date;
}

export interface EndpointInput {
  url: string;
  events: EventSubscription[];
  description?: string | undefined;
}

export interface EndpointChange {
  url?: string | undefined;
  events?: EventSubscription[] | undefined;
  description?: string | null | undefined;
  disabled?: boolean | undefined;
}

/** An endpoint with the secret in clear: only the answers to create and rotate-secret carry it. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

const notFound = () => new DomainError(failure('WebhookEndpointNotFound'));

export function requireAdminAgent(caller: Caller) {
  if (!isAdminAgent(caller)) {
    throw new DomainError(failure('AdminAgentRequired', 'Only an admin agent may change webhook endpoints.'));
  }
}

const invalidUrl = (reason: string) =>
  new DomainError(
    failure('InvalidWebhookUrl', `The webhook URL ${reason}.`, [
      { code: 'InvalidWebhookUrl', description: reason, target: 'body.url' },
    ]),
  );

export function createEndpointService(deps: EndpointServiceDependencies) {
  async function checkUrl(text: string): Promise<string> {
    const verdict = checkEndpointUrl(text, deps.urlPolicy);
    if (!verdict.ok) throw invalidUrl(verdict.reason);
    if (deps.urlPolicy === 'public-https') {
      const hostname = verdict.url.hostname.replace(/^\[|\]$/g, '');
      const addresses = await deps.resolveHost(hostname).catch(() => []);
      if (addresses.length === 0) throw invalidUrl('must name a host that resolves');
      if (!addresses.every(isPublicAddress)) {
        throw invalidUrl('must not resolve to a private, loopback, link-local or metadata address');
      }
    }
    return verdict.url.toString();
  }

  const changeEndpoints = <T>(
    tenantId: string,
    change: (endpoints: WebhookEndpoint[]) => { endpoints: WebhookEndpoint[]; result: T },
  ) => changePartnerEndpoints(deps.store, tenantId, change);

  const find = (endpoints: WebhookEndpoint[], id: string) => {
    const found = endpoints.find((endpoint) => endpoint.id === id);
    if (!found) throw notFound();
    return found;
  };

  return {
    async list(caller: Caller): Promise<WebhookEndpoint[]> {
      return (await deps.store.getEndpoints(caller.tenantId)).endpoints;
    },

    async get(caller: Caller, endpointId: string): Promise<WebhookEndpoint> {
      return find((await deps.store.getEndpoints(caller.tenantId)).endpoints, endpointId);
    },

    async create(caller: Caller, input: EndpointInput): Promise<EndpointWithSecret> {
      requireAdminAgent(caller);
      const url = await checkUrl(input.url);
      const now = deps.now().toISOString();
      const secret = deps.newSecret();
      const endpoint: WebhookEndpoint = {
        id: deps.newEndpointId(),
        partnerTenantId: caller.tenantId,
        url,
        events: [...new Set(input.events)],
        ...(input.description ? { description: input.description } : {}),
        disabled: false,
        secrets: [{ value: secret }],
        createdTime: now,
        updatedTime: now,
      };
      return changeEndpoints(caller.tenantId, (endpoints) => {
        if (endpoints.length >= MAX_ENDPOINTS_PER_PARTNER) {
          throw new DomainError(failure('WebhookEndpointLimitReached'));
        }
        return { endpoints: [...endpoints, endpoint], result: { endpoint, secret } };
      });
    },

    async update(caller: Caller, endpointId: string, change: EndpointChange): Promise<WebhookEndpoint> {
      requireAdminAgent(caller);
      const url = change.url === undefined ? undefined : await checkUrl(change.url);
      const now = deps.now().toISOString();
      return changeEndpoints(caller.tenantId, (endpoints) => {
        const old = find(endpoints, endpointId);
        const { description: _description, disabledReason: _reason, failingSince: _since, ...kept } = old;
        const description = change.description === undefined ? old.description : change.description;
        const disabled = change.disabled ?? old.disabled;
        // Disabling by hand says so; an automatic disable keeps its reason; re-enabling starts a fresh streak.
        const disabledReason = !disabled
          ? undefined
          : old.disabled
            ? (old.disabledReason ?? 'DisabledByPartner')
            : 'DisabledByPartner';
        const reEnabled = old.disabled && !disabled;
        const failingSince = reEnabled ? undefined : old.failingSince;
        const updated: WebhookEndpoint = {
          ...kept,
          ...(url === undefined ? {} : { url }),
          ...(change.events === undefined ? {} : { events: [...new Set(change.events)] }),
          ...(description ? { description } : {}),
          disabled,
          ...(disabledReason ? { disabledReason } : {}),
          ...(failingSince ? { failingSince } : {}),
          updatedTime: now,
        };
        return {
          endpoints: endpoints.map((endpoint) => (endpoint.id === endpointId ? updated : endpoint)),
          result: updated,
        };
      });
    },

    async delete(caller: Caller, endpointId: string): Promise<void> {
      requireAdminAgent(caller);
      await changeEndpoints(caller.tenantId, (endpoints) => {
        find(endpoints, endpointId);
        return { endpoints: endpoints.filter((endpoint) => endpoint.id !== endpointId), result: undefined };
      });
    },

    /** A new current secret; the old one keeps signing for 24 h so receivers can switch without losing events. */
    async rotateSecret(caller: Caller, endpointId: string): Promise<EndpointWithSecret> {
      requireAdminAgent(caller);
      const now = deps.now();
      const secret = deps.newSecret();
      const overlapEnds = new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString();
      return changeEndpoints(caller.tenantId, (endpoints) => {
        const old = find(endpoints, endpointId);
        const stillValid = old.secrets.filter(
          (candidate) => candidate.expiresAt === undefined || Date.parse(candidate.expiresAt) > now.getTime(),
        );
        const rotated: WebhookEndpoint = {
          ...old,
          secrets: [
            { value: secret },
            ...stillValid.map((candidate) => ({
              value: candidate.value,
              expiresAt: candidate.expiresAt ?? overlapEnds,
            })),
          ],
          updatedTime: now.toISOString(),
        };
        return {
          endpoints: endpoints.map((endpoint) => (endpoint.id === endpointId ? rotated : endpoint)),
          result: { endpoint: rotated, secret },
        };
      });
    },
  };
}

export type EndpointService = ReturnType<typeof createEndpointService>;
