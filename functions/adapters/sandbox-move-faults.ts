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
import * as z from '#shared/zod.ts';

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

const SUBSCRIPTION_ID = z
  .string()
  .check(
    z.minLength(1, 'a subscription id is empty'),
    z.maxLength(256),
    z.regex(/^[^\s,;:=#]+$/, 'a subscription id must not contain spaces or , ; : = #'),
  );
const RATE = z.coerce.number().check(z.gte(0, 'a rate is at least 0'), z.lte(1, 'a rate is at most 1'));
const TIMES = z.coerce.number().check(z.int(), z.gte(0), z.lte(1_000_000));
const looksLikeNumber = (value: string) => /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value);
const idList = (value: string) => value.split(',');

const RULE = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['transient', 'permanent']),
    value: z.pipe(
      z.string(),
      z.transform((value: string, context) => {
        if (looksLikeNumber(value)) {
          const rate = RATE.safeParse(value);
          if (rate.success) return { rate: rate.data };
          context.issues.push({
            code: 'custom',
            message: rate.error.issues[0]?.message ?? 'not a rate',
            input: value,
          });
          return z.NEVER;
        }
        const ids = z.array(SUBSCRIPTION_ID).check(z.minLength(1)).safeParse(idList(value));
        if (ids.success) return { subscriptionIds: ids.data as string[] };
        context.issues.push({
          code: 'custom',
          message: ids.error.issues[0]?.message ?? 'not a list of ids',
          input: value,
        });
        return z.NEVER;
      }),
    ),
  }),
  z.object({
    kind: z.literal('transient-times'),
    value: z.pipe(
      z.string(),
      z.transform((value: string, context) => {
        const entries: [string, number][] = [];
        for (const entry of idList(value)) {
          const [id = '', times = '', ...extra] = entry.split('=');
          const parsedId = SUBSCRIPTION_ID.safeParse(id);
          const parsedTimes = TIMES.safeParse(times);
          if (!parsedId.success || !parsedTimes.success || extra.length > 0 || times === '') {
            context.issues.push({
              code: 'custom',
              message: `"${entry}" is not <subscriptionId>=<attempts>`,
              input: value,
            });
            return z.NEVER;
          }
          entries.push([parsedId.data, parsedTimes.data]);
        }
        return { times: entries };
      }),
    ),
  }),
  z.object({ kind: z.literal('seed'), value: z.coerce.number().check(z.int()) }),
]);

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
    const parsed = RULE.safeParse({
      kind: separator < 0 ? rule : rule.slice(0, separator),
      value: separator < 0 ? '' : rule.slice(separator + 1),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason =
        issue?.path[0] === 'kind'
          ? 'unknown kind (transient, permanent, transient-times, seed)'
          : (issue?.message ?? 'invalid');
      throw new MoveFaultSyntaxError(`SANDBOX_MOVE_FAULTS: rule "${rule}": ${reason}`);
    }
    const { data } = parsed;
    switch (data.kind) {
      case 'transient':
      case 'permanent': {
        const value: { rate: number } | { subscriptionIds: string[] } = data.value;
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
