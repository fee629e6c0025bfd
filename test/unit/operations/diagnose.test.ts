// Which open transfers the reconciler calls stuck, and which repair each gets: windows, ended or missing workflows,
// the grace period that keeps it away from changes in flight, and the restart limit that hands over to an operator.
import { describe, expect, it } from 'vitest';
import { type DiagnosedTransfer, diagnose } from '#operations/diagnose.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const settings = { graceMs: 5 * 60_000, maxWorkflowRestarts: 3 };

const active: DiagnosedTransfer = {
  status: 'Active',
  createdTime: minutesAgo(60),
  lastModifiedTime: minutesAgo(60),
  expirationTime: new Date(NOW.getTime() + 86_400_000).toISOString(),
  workflowRun: 0,
};
const inProgress: DiagnosedTransfer = { ...active, status: 'InProgress', acceptedTime: minutesAgo(30) };

describe('diagnose', () => {
  it('leaves a transfer alone while its workflow runs and its windows are open', () => {
    expect(diagnose(active, { kind: 'running' }, NOW, settings)).toBeUndefined();
    expect(diagnose(inProgress, { kind: 'running' }, NOW, settings)).toBeUndefined();
  });

  it('resumes the wait of an Accepted transfer whose workflow still runs once the grace period has passed', () => {
    const accepted: DiagnosedTransfer = {
      ...active,
      status: 'Accepted',
      acceptedTime: minutesAgo(10),
      lastModifiedTime: minutesAgo(10),
    };
    expect(diagnose(accepted, { kind: 'running' }, NOW, settings)).toMatchObject({
      reason: 'acceptance-not-resumed',
      repair: 'resume-workflow',
      detail: expect.stringContaining(`Accepted at ${minutesAgo(10)}`),
    });
    const justAccepted = { ...accepted, acceptedTime: minutesAgo(1), lastModifiedTime: minutesAgo(1) };
    expect(diagnose(justAccepted, { kind: 'running' }, NOW, settings)).toBeUndefined();
    // Moving already: the wait was resumed.
    expect(
      diagnose({ ...accepted, status: 'InProgress' }, { kind: 'running' }, NOW, settings),
    ).toBeUndefined();
  });

  it('restarts the workflow of an open transfer whose execution ended or is missing', () => {
    expect(diagnose(active, { kind: 'ended', status: 'FAILED', error: 'Boom' }, NOW, settings)).toMatchObject(
      {
        reason: 'workflow-ended',
        repair: 'restart-workflow',
        detail: expect.stringContaining('FAILED (Boom)'),
      },
    );
    expect(diagnose(inProgress, { kind: 'missing' }, NOW, settings)).toMatchObject({
      reason: 'workflow-missing',
      repair: 'restart-workflow',
    });
  });

  it('waits out the grace period after the last change and after a restart', () => {
    expect(diagnose({ ...active, lastModifiedTime: minutesAgo(1) }, { kind: 'missing' }, NOW, settings)).toBe(
      undefined,
    );
    expect(
      diagnose(
        { ...active, workflowRun: 1, workflowRunStartedAt: minutesAgo(2) },
        { kind: 'missing' },
        NOW,
        settings,
      ),
    ).toBe(undefined);
    expect(
      diagnose(
        { ...active, workflowRun: 1, workflowRunStartedAt: minutesAgo(6) },
        { kind: 'missing' },
        NOW,
        settings,
      ),
    ).toMatchObject({ repair: 'restart-workflow' });
  });

  it('expires an Active transfer past its expiration time, even while a wait still runs', () => {
    const lapsed = { ...active, expirationTime: minutesAgo(6) };
    expect(diagnose(lapsed, { kind: 'running' }, NOW, settings)).toMatchObject({
      reason: 'acceptance-window-passed',
      repair: 'expire',
    });
    expect(diagnose({ ...active, expirationTime: minutesAgo(4) }, { kind: 'running' }, NOW, settings)).toBe(
      undefined,
    );
  });

  it('finalises an Accepted or InProgress transfer past the 72 h move window', () => {
    const overdue = { ...inProgress, acceptedTime: minutesAgo(72 * 60 + 6) };
    expect(diagnose(overdue, { kind: 'running' }, NOW, settings)).toMatchObject({
      reason: 'move-window-passed',
      repair: 'finalise',
    });
    expect(diagnose({ ...overdue, status: 'Accepted' }, { kind: 'missing' }, NOW, settings)).toMatchObject({
      repair: 'finalise',
    });
    expect(
      diagnose({ ...inProgress, acceptedTime: minutesAgo(72 * 60 - 1) }, { kind: 'running' }, NOW, settings),
    ).toBe(undefined);
  });

  it('hands a workflow that keeps ending over to an operator after the restart limit', () => {
    const diagnosis = diagnose(
      { ...active, workflowRun: 3 },
      { kind: 'ended', status: 'FAILED' },
      NOW,
      settings,
    );
    expect(diagnosis?.unrepairable).toMatch(/restarted 3 times/);
  });
});
