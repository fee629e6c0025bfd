// A check's outcome, shared by every invariant module: how many checks ran and which failed (with the invariant's
// number from issue 16 and, where there is one, the transfer).
export interface Violation {
  invariant: 1 | 2 | 3 | 4 | 5 | 6;
  message: string;
  transferId?: string;
}

export interface CheckTally {
  checks: number;
  violations: Violation[];
}

/** Counts every check and keeps the ones that failed. */
export class Checker implements CheckTally {
  checks = 0;
  violations: Violation[] = [];
  expect(condition: boolean, invariant: Violation['invariant'], message: string, transferId?: string): void {
    this.checks += 1;
    if (!condition) this.violations.push({ invariant, message, ...(transferId ? { transferId } : {}) });
  }
}
