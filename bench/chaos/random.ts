// The campaign's one source of randomness: every decision (workload, kill moments, dropped connections) comes from
// the seed, so a seed names a campaign. Thread timing still varies between runs; the report says which step failed.
import { seededRandom } from '#local/emulator-faults.ts';

export class Random {
  private readonly source: () => number;
  constructor(readonly seed: number) {
    this.source = seededRandom(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }
  /** Uniform integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.source() * bound);
  }
  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + this.source() * (high - low);
  }
  /** An independent stream derived from this seed, so one part's draws never shift another's. */
  fork(salt: number): Random {
    return new Random((this.seed * 31 + salt) | 0);
  }
}
