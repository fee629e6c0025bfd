// Sandbox fault injection: the SANDBOX_MOVE_FAULTS syntax, what each rule does, and that it can never be switched on
// outside the local stage.
import { describe, expect, it } from 'vitest';
import {
  FaultInjectingSubscriptionMover,
  faultFor,
  MoveFaultSyntaxError,
  parseMoveFaults,
  withSandboxMoveFaults,
} from '#adapters/sandbox-move-faults.ts';
import type {
  SubscriptionMoveOutcome,
  SubscriptionMoveRequest,
  SubscriptionMover,
} from '#application/subscription-mover.ts';
import { moverFromEnvironment } from '#workflow/mover-from-environment.ts';

const request = (subscriptionId: string, attempt = 1): SubscriptionMoveRequest => ({
  customerId: 'customer-1',
  subscriptionId,
  transferId: 'transfer-1',
  fromTenantId: 'source',
  toTenantId: 'target',
  attempt,
});

class RecordingMover implements SubscriptionMover {
  readonly moved: string[] = [];
  async move(move: SubscriptionMoveRequest): Promise<SubscriptionMoveOutcome> {
    this.moved.push(move.subscriptionId);
    return { alreadyMoved: false, subscription: {} as SubscriptionMoveOutcome['subscription'] };
  }
}

describe('SANDBOX_MOVE_FAULTS syntax', () => {
  it('parses rates, id lists, counted transient failures and a seed, ignoring spaces and empty rules', () => {
    const plan = parseMoveFaults(
      ' transient:0.3 ; permanent:sub-a,sub-b;; transient-times:sub-c=2,sub-d=0; seed:42 ',
    );
    expect(plan).toEqual({
      transientRate: 0.3,
      permanentRate: 0,
      transientSubscriptions: new Set(),
      permanentSubscriptions: new Set(['sub-a', 'sub-b']),
      transientTimes: new Map([
        ['sub-c', 2],
        ['sub-d', 0],
      ]),
      seed: 42,
    });
    expect(parseMoveFaults('permanent:0.05;transient:sub-x')).toMatchObject({
      permanentRate: 0.05,
      transientSubscriptions: new Set(['sub-x']),
    });
    expect(parseMoveFaults('')).toMatchObject({ transientRate: 0, permanentRate: 0 });
  });

  it.each([
    ['transient:1.5', /rule "transient:1.5": a rate is at most 1/],
    ['transient:-0.1', /a rate is at least 0/],
    ['sometimes:0.3', /unknown kind/],
    ['transient', /rule "transient"/],
    ['permanent:a,,b', /subscription id is empty/],
    ['transient-times:sub-c', /"sub-c" is not <subscriptionId>=<attempts>/],
    ['transient-times:sub-c=two', /is not <subscriptionId>=<attempts>/],
    ['seed:abc', /rule "seed:abc"/],
  ])('refuses %s, naming the rule', (spec, message) => {
    expect(() => parseMoveFaults(spec)).toThrow(MoveFaultSyntaxError);
    expect(() => parseMoveFaults(spec)).toThrow(message);
  });
});

describe('what the rules do', () => {
  it('permanent ids win, then counted transient failures, then transient ids', () => {
    const plan = parseMoveFaults('permanent:both; transient:both,always; transient-times:twice=2');
    expect(faultFor(plan, request('both'))?.kind).toBe('permanent');
    expect(faultFor(plan, request('always', 50))?.kind).toBe('transient');
    expect(faultFor(plan, request('twice', 1))?.kind).toBe('transient');
    expect(faultFor(plan, request('twice', 2))?.kind).toBe('transient');
    expect(faultFor(plan, request('twice', 3))).toBeUndefined();
    expect(faultFor(plan, request('other'))).toBeUndefined();
  });

  it('rates: 0 never fails, 1 always fails, and a seed makes each attempt reproducible', () => {
    expect(faultFor(parseMoveFaults('transient:0'), request('a'))).toBeUndefined();
    expect(faultFor(parseMoveFaults('transient:1'), request('a'))?.kind).toBe('transient');
    expect(faultFor(parseMoveFaults('permanent:1; transient:1'), request('a'))?.kind).toBe('permanent');
    const seeded = parseMoveFaults('transient:0.5; seed:7');
    const decisions = (plan: typeof seeded) =>
      Array.from(
        { length: 200 },
        (_, index) => faultFor(plan, request(`sub-${index}`, 1 + (index % 3)))?.kind,
      );
    const first = decisions(seeded);
    expect(decisions(parseMoveFaults('seed:7;transient:0.5'))).toEqual(first);
    const failures = first.filter((kind) => kind === 'transient').length;
    expect(failures).toBeGreaterThan(50);
    expect(failures).toBeLessThan(150);
  });

  it('an injected failure is thrown by name before the real move is tried', async () => {
    const inner = new RecordingMover();
    const mover = new FaultInjectingSubscriptionMover(
      inner,
      parseMoveFaults('permanent:broken; transient:flaky'),
    );
    await expect(mover.move(request('broken'))).rejects.toMatchObject({
      name: 'PermanentMoveError',
      code: 'SandboxPermanentFault',
      message: expect.stringContaining('broken'),
    });
    await expect(mover.move(request('flaky'))).rejects.toMatchObject({ name: 'TransientMoveError' });
    await mover.move(request('fine'));
    expect(inner.moved).toEqual(['fine']);
  });
});

describe('only the local stage honours it', () => {
  it('is off by default and ignored (not even parsed) on LocalStack and AWS', () => {
    const base = new RecordingMover();
    expect(withSandboxMoveFaults(base, { stage: 'local' })).toBe(base);
    expect(withSandboxMoveFaults(base, { stage: 'local', faults: '  ' })).toBe(base);
    expect(withSandboxMoveFaults(base, { stage: 'aws', faults: 'permanent:1' })).toBe(base);
    expect(withSandboxMoveFaults(base, { stage: 'localstack', faults: 'permanent:1' })).toBe(base);
    expect(withSandboxMoveFaults(base, { stage: 'aws', faults: 'not a valid spec' })).toBe(base);
    expect(withSandboxMoveFaults(base, { stage: 'local', faults: 'permanent:1' })).toBeInstanceOf(
      FaultInjectingSubscriptionMover,
    );
    expect(() => withSandboxMoveFaults(base, { stage: 'local', faults: 'not a valid spec' })).toThrow(
      MoveFaultSyntaxError,
    );
  });

  it("the workflow's mover follows DEPLOYMENT_STAGE (default aws: faults ignored)", () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { TABLE_NAME: 'fault-test-table', SANDBOX_MOVE_FAULTS: 'permanent:1' });
      delete process.env.DEPLOYMENT_STAGE;
      expect(moverFromEnvironment()).not.toBeInstanceOf(FaultInjectingSubscriptionMover);
      process.env.DEPLOYMENT_STAGE = 'aws';
      expect(moverFromEnvironment()).not.toBeInstanceOf(FaultInjectingSubscriptionMover);
      process.env.DEPLOYMENT_STAGE = 'local';
      expect(moverFromEnvironment()).toBeInstanceOf(FaultInjectingSubscriptionMover);
    } finally {
      for (const name of ['TABLE_NAME', 'SANDBOX_MOVE_FAULTS', 'DEPLOYMENT_STAGE']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
