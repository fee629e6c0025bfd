// Task tokens of `.waitForTaskToken` tasks: one fresh, unguessable token per waiting task attempt, and the answers
// Step Functions gives when a token is used (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat).
//
// Format: base64url of [version 0x01][16 random bytes][16 bytes of the execution's internal id]. A string that
// does not decode to that is malformed (InvalidToken); a well-formed token that was never issued is unknown
// (TaskDoesNotExist); a token whose task is over (answered, timed out, execution stopped) is TaskTimedOut, the
// answer AWS gives to a second SendTaskSuccess.
import { randomBytes } from 'node:crypto';
import { invalidToken, taskDoesNotExist, taskTimedOut } from './errors.ts';

const TOKEN_VERSION = 0x01;
const RANDOM_BYTES = 16;
const EXECUTION_ID_BYTES = 16;
const TOKEN_BYTES = 1 + RANDOM_BYTES + EXECUTION_ID_BYTES;
const TOKEN_TEXT_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** How a waiting task ends. `released`: the task is over without an answer (timeout, execution stopped). */
export type TaskTokenOutcome =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error: string | undefined; cause: string | undefined }
  | { kind: 'released' };

interface IssuedToken {
  executionArn: string;
  open: boolean;
  settle: (outcome: TaskTokenOutcome) => void;
}

export interface TaskTokenLease {
  token: string;
  /** Settles once: with the SendTask* answer, or `released` when the task ends otherwise. */
  outcome: Promise<TaskTokenOutcome>;
}

export class TaskTokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();
  /** The tokens still open, by execution. */
  private readonly openTokensByExecution = new Map<string, Set<string>>();

  /** @param executionId 16 bytes that identify the execution (embedded in the token for diagnostics). */
  issue(executionArn: string, executionId: Uint8Array): TaskTokenLease {
    if (executionId.length !== EXECUTION_ID_BYTES) throw new Error('executionId must be 16 bytes');
    let token: string;
    do {
      token = Buffer.concat([Buffer.of(TOKEN_VERSION), randomBytes(RANDOM_BYTES), executionId]).toString(
        'base64url',
      );
    } while (this.tokens.has(token));
    const { promise, resolve } = Promise.withResolvers<TaskTokenOutcome>();
    this.tokens.set(token, { executionArn, open: true, settle: resolve });
    const open = this.openTokensByExecution.get(executionArn) ?? new Set<string>();
    this.openTokensByExecution.set(executionArn, open.add(token));
    return { token, outcome: promise };
  }

  /** Answers a token (SendTaskSuccess / SendTaskFailure). Throws InvalidToken, TaskDoesNotExist or TaskTimedOut. */
  answer(token: string, outcome: Exclude<TaskTokenOutcome, { kind: 'released' }>): void {
    this.close(token, this.openToken(token), outcome);
  }

  /** SendTaskHeartbeat: checks the token is live (heartbeats are not enforced locally). */
  heartbeat(token: string): void {
    this.openToken(token);
  }

  /** Ends a waiting task without an answer; later calls with its token get TaskTimedOut. */
  release(token: string): void {
    const issued = this.tokens.get(token);
    if (issued?.open) this.close(token, issued, { kind: 'released' });
  }

  releaseAllOf(executionArn: string): void {
    for (const token of this.openTokensByExecution.get(executionArn) ?? []) this.release(token);
  }

  private close(token: string, issued: IssuedToken, outcome: TaskTokenOutcome): void {
    issued.open = false;
    const open = this.openTokensByExecution.get(issued.executionArn);
    open?.delete(token);
    if (open?.size === 0) this.openTokensByExecution.delete(issued.executionArn);
    issued.settle(outcome);
  }

  private openToken(token: string): IssuedToken {
    assertWellFormed(token);
    const issued = this.tokens.get(token);
    if (!issued) throw taskDoesNotExist();
    if (!issued.open) throw taskTimedOut();
    return issued;
  }
}

function assertWellFormed(token: string): void {
  if (token.length !== TOKEN_TEXT_LENGTH || !BASE64URL.test(token)) throw invalidToken();
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes[0] !== TOKEN_VERSION || bytes.toString('base64url') !== token) {
    throw invalidToken();
  }
}
