// A Map Run: the child executions one DISTRIBUTED Map state started for one entry, with the counts and wire shapes
// of DescribeMapRun and ListMapRuns.
import type { ExecutionStatus, MapRunStatus } from '@aws-sdk/client-sfn';
import { toEpochSeconds, type WireObject } from './wire.ts';

/** What a Map Run needs of its child executions. */
export interface MapRunChild {
  readonly status: ExecutionStatus;
  stop(error: string | undefined, cause: string | undefined): void;
}

export interface MapRunInit {
  mapRunArn: string;
  /** The parent execution and its state machine. */
  executionArn: string;
  stateMachineArn: string;
  /** What the children's executions name as their state machine: `<machine>/<label>`. */
  childStateMachineArn: string;
  childStateMachineName: string;
  label: string;
  maxConcurrency: number;
  itemCount: number;
  sequence: number;
}

export class LocalMapRun {
  readonly mapRunArn: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly childStateMachineArn: string;
  readonly childStateMachineName: string;
  readonly label: string;
  readonly maxConcurrency: number;
  readonly itemCount: number;
  readonly sequence: number;
  readonly startDate = new Date();
  readonly children: MapRunChild[] = [];
  status: MapRunStatus = 'RUNNING';
  stopDate: Date | undefined;

  constructor(init: MapRunInit) {
    this.mapRunArn = init.mapRunArn;
    this.executionArn = init.executionArn;
    this.stateMachineArn = init.stateMachineArn;
    this.childStateMachineArn = init.childStateMachineArn;
    this.childStateMachineName = init.childStateMachineName;
    this.label = init.label;
    this.maxConcurrency = init.maxConcurrency;
    this.itemCount = init.itemCount;
    this.sequence = init.sequence;
  }

  /** Every item's child has succeeded. */
  get complete(): boolean {
    return (
      this.children.length === this.itemCount && this.children.every((child) => child.status === 'SUCCEEDED')
    );
  }

  /** SUCCEEDED, FAILED or ABORTED; children still running are stopped (AWS aborts them too). */
  close(status: Exclude<MapRunStatus, 'RUNNING'>, reason?: { error: string; cause: string }): void {
    if (this.status !== 'RUNNING') return;
    this.status = status;
    this.stopDate = new Date();
    for (const child of this.children) child.stop(reason?.error, reason?.cause);
  }

  /** Items and executions count alike here: one item per child execution, no ItemBatcher, no ResultWriter. */
  private counts(): WireObject {
    const count = (status: string) => this.children.filter((child) => child.status === status).length;
    return {
      pending: this.itemCount - this.children.length,
      running: count('RUNNING'),
      succeeded: count('SUCCEEDED'),
      failed: count('FAILED'),
      timedOut: count('TIMED_OUT'),
      aborted: count('ABORTED'),
      total: this.itemCount,
      resultsWritten: 0,
      failuresNotRedrivable: 0,
      pendingRedrive: 0,
    };
  }

  describe(): WireObject {
    const counts = this.counts();
    return {
      mapRunArn: this.mapRunArn,
      executionArn: this.executionArn,
      status: this.status,
      startDate: toEpochSeconds(this.startDate),
      stopDate: this.stopDate && toEpochSeconds(this.stopDate),
      maxConcurrency: this.maxConcurrency,
      toleratedFailurePercentage: 0,
      toleratedFailureCount: 0,
      itemCounts: counts,
      executionCounts: counts,
      redriveCount: 0,
    };
  }

  listItem(): WireObject {
    return {
      executionArn: this.executionArn,
      mapRunArn: this.mapRunArn,
      stateMachineArn: this.stateMachineArn,
      startDate: toEpochSeconds(this.startDate),
      stopDate: this.stopDate && toEpochSeconds(this.stopDate),
    };
  }
}
