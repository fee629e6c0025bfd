// Sandbox fault injection for line-item moves: makes the local cloud's SubscriptionMover fail on purpose, so partners
// (and tests) can watch per-item retries and permanent failures. Configured by SANDBOX_MOVE_FAULTS, OFF by default,
// and honoured ONLY when DEPLOYMENT_STAGE is 'local': on LocalStack and AWS the variable is ignored (not even parsed).
//
// Syntax: rules separated by ';' (spaces ignored), each `kind:value`:
//   transient:<rate>                    every attempt fails transiently with probability <rate> (0..1)
//   permanent:<rate>                    every attempt fails permanently with probability <rate>
//   transient:<id>,<id>...              these subscriptions always fail transiently (until the retries run out)
//   permanent:<id>,<id>...              these subscriptions fail permanently
//   transient-times:<id>=<n>,<id>=<n>   the first <n> attempts of these subscriptions fail transiently, then succeed
//   seed:<integer>                      rate decisions become a deterministic function of (seed, transfer,
//                                       subscription, attempt) instead of Math.random
// A value that is a number is a rate; anything else is a list of subscription ids.
// Example: `transient:0.3; permanent:d0000000-0000-4000-8000-000000000004; transient-times:d0000000-...-001=2`
// Order of precedence per attempt: permanent ids, transient-times, transient ids, permanent rate, transient rate.
import { createHash } from 'node:crypto';
import {
  PermanentMoveError,
  type SubscriptionMoveOutcome,
  type SubscriptionMoveRequest,
  type SubscriptionMover,
  TransientMoveError,
} from '#application/subscription-mover.ts';

export interface MoveFaultPlan {
  transientRate: number;
  permanentRate: number;
  transientSubscriptions: ReadonlySet<string>;
  permanentSubscriptions: ReadonlySet<string>;
  /** Subscription id -> how many first attempts fail transiently. */
  transientTimes: ReadonlyMap<string, number>;
  seed?: number;
}

export class MoveFaultSyntaxError extends Error {
  override readonly name = 'MoveFaultSyntaxError';
}

// Parsed by hand, not with zod: only the local cloud ever sets the variable, yet every moveLineItem bundle carries
// this parser, and zod's unions, pipes and transforms cost that bundle ~19 KiB (issue #14: 1.3x its SDK floor).
const SUBSCRIPTION_ID_PATTERN = /^[^\s,;:=#]+$/;
const looksLikeNumber = (value: string) => /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value);
const idList = (value: string) => value.split(',');

/** Why `id` is not a subscription id, or undefined when it is one. */
function subscriptionIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'a subscription id is empty';
  if (id.length > 256) return 'a subscription id has at most 256 characters';
  if (!SUBSCRIPTION_ID_PATTERN.test(id)) return 'a subscription id must not contain spaces or , ; : = #';
  return undefined;
}

/** A whole number written in any form Number() reads (as the zod coercion before this did). */
function integerOf(value: string): number | undefined {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

type Rule =
  | { kind: 'transient' | 'permanent'; value: { rate: number } | { subscriptionIds: string[] } }
  | { kind: 'transient-times'; value: { times: [string, number][] } }
  | { kind: 'seed'; value: number };

/** One `kind:value` rule, or the reason it is not one. */
function parseRule(kind: string, value: string): Rule | string {
  switch (kind) {
    case 'transient':
    case 'permanent': {
      if (looksLikeNumber(value)) {
        const rate = Number(value);
        if (!Number.isFinite(rate)) return 'not a rate';
        if (rate < 0) return 'a rate is at least 0';
        if (rate > 1) return 'a rate is at most 1';
        return { kind, value: { rate } };
      }
      const ids = idList(value);
      for (const id of ids) {
        const problem = subscriptionIdProblem(id);
        if (problem !== undefined) return problem;
      }
      return { kind, value: { subscriptionIds: ids } };
    }
    case 'transient-times': {
      const times: [string, number][] = [];
      for (const entry of idList(value)) {
        const [id = '', count = '', ...extra] = entry.split('=');
        const attempts = integerOf(count);
        if (
          subscriptionIdProblem(id) !== undefined ||
          attempts === undefined ||
          attempts < 0 ||
          attempts > 1_000_000 ||
          extra.length > 0 ||
          count === ''
        ) {
          return `"${entry}" is not <subscriptionId>=<attempts>`;
        }
        times.push([id, attempts]);
      }
      return { kind, value: { times } };
    }
    case 'seed': {
      const seed = integerOf(value);
      return seed === undefined ? 'a seed is a whole number' : { kind, value: seed };
    }
    default:
      return 'unknown kind (transient, permanent, transient-times, seed)';
  }
}

/** Parses SANDBOX_MOVE_FAULTS (see the syntax above). Throws MoveFaultSyntaxError naming the bad rule. */
export function parseMoveFaults(spec: string): MoveFaultPlan {
  const plan = {
    transientRate: 0,
    permanentRate: 0,
    transientSubscriptions: new Set<string>(),
    permanentSubscriptions: new Set<string>(),
    transientTimes: new Map<string, number>(),
  } satisfies MoveFaultPlan;
  let seed: number | undefined;
  const rules = spec
    .replace(/\s+/g, '')
    .split(';')
    .filter((rule) => rule !== '');
  for (const rule of rules) {
    const separator = rule.indexOf(':');
    const data = parseRule(
      separator < 0 ? rule : rule.slice(0, separator),
      separator < 0 ? '' : rule.slice(separator + 1),
    );
    if (typeof data === 'string') {
      throw new MoveFaultSyntaxError(`SANDBOX_MOVE_FAULTS: rule "${rule}": ${data}`);
    }
    switch (data.kind) {
      case 'transient':
      case 'permanent': {
        const { value } = data;
        if ('rate' in value) {
          if (data.kind === 'transient') plan.transientRate = value.rate;
          else plan.permanentRate = value.rate;
        } else {
          const target =
            data.kind === 'transient' ? plan.transientSubscriptions : plan.permanentSubscriptions;
          for (const id of value.subscriptionIds) target.add(id);
        }
        break;
      }
      case 'transient-times':
        for (const [id, times] of data.value.times) plan.transientTimes.set(id, times);
        break;
      case 'seed':
        seed = data.value;
        break;
    }
  }
  return seed === undefined ? plan : { ...plan, seed };
}

export type MoveFault = { kind: 'transient' | 'permanent'; reason: string } | undefined;

/** A number in [0, 1) for one decision: deterministic with a seed, Math.random otherwise. */
function draw(plan: MoveFaultPlan, request: SubscriptionMoveRequest, purpose: string): number {
  if (plan.seed === undefined) return Math.random();
  const digest = createHash('sha256')
    .update([plan.seed, request.transferId, request.subscriptionId, request.attempt, purpose].join('\u0000'))
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** Which fault, if any, this attempt suffers. */
export function faultFor(plan: MoveFaultPlan, request: SubscriptionMoveRequest): MoveFault {
  const id = request.subscriptionId;
  if (plan.permanentSubscriptions.has(id)) return { kind: 'permanent', reason: 'listed as permanent' };
  const times = plan.transientTimes.get(id);
  if (times !== undefined) {
    return request.attempt <= times
      ? { kind: 'transient', reason: `attempt ${request.attempt} of the first ${times} that fail` }
      : undefined;
  }
  if (plan.transientSubscriptions.has(id)) return { kind: 'transient', reason: 'listed as transient' };
  if (plan.permanentRate > 0 && draw(plan, request, 'permanent') < plan.permanentRate) {
    return { kind: 'permanent', reason: `rate ${plan.permanentRate}` };
  }
  if (plan.transientRate > 0 && draw(plan, request, 'transient') < plan.transientRate) {
    return { kind: 'transient', reason: `rate ${plan.transientRate}` };
  }
  return undefined;
}

/** Fails on purpose before the real move is even tried, so an injected failure never moves anything. */
export class FaultInjectingSubscriptionMover implements SubscriptionMover {
  constructor(
    private readonly inner: SubscriptionMover,
    readonly plan: MoveFaultPlan,
  ) {}

  async move(request: SubscriptionMoveRequest): Promise<SubscriptionMoveOutcome> {
    const fault = faultFor(this.plan, request);
    if (fault) {
      const message =
        `Sandbox fault injection: ${fault.kind} failure moving subscription ${request.subscriptionId} ` +
        `(attempt ${request.attempt}; ${fault.reason}).`;
      throw fault.kind === 'transient'
        ? new TransientMoveError(message, { code: 'SandboxTransientFault' })
        : new PermanentMoveError(message, { code: 'SandboxPermanentFault' });
    }
    return this.inner.move(request);
  }
}

export interface MoveFaultSettings {
  /** DEPLOYMENT_STAGE. */
  stage: 'local' | 'localstack' | 'aws';
  /** SANDBOX_MOVE_FAULTS. */
  faults?: string | undefined;
}

/**
 * The mover the workflow uses: `base` itself, unless this is the local cloud AND faults are configured. Outside the
 * local stage the setting is ignored whatever it says, so fault injection can never reach production.
 */
export function withSandboxMoveFaults(
  base: SubscriptionMover,
  settings: MoveFaultSettings,
): SubscriptionMover {
  if (settings.stage !== 'local' || settings.faults === undefined || settings.faults.trim() === '')
    return base;
  return new FaultInjectingSubscriptionMover(base, parseMoveFaults(settings.faults));
}
