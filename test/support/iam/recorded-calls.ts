// The AWS calls the test suites recorded (aws-call-recorder.ts), read back for the IAM simulation.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningFunction } from '#local/running-function.ts';

export interface RecordedAwsCall {
  function: RunningFunction;
  /** `service:Action`, e.g. dynamodb:Query. */
  action: string;
  resource: string;
  /** Condition keys AWS sets for the call, e.g. ses:FromAddress. */
  context: Record<string, string>;
}

export const recordedCallKey = (call: RecordedAwsCall): string =>
  JSON.stringify([call.function.kind, call.function.id, call.action, call.resource, call.context]);

/** Every distinct call recorded in `directory`. */
export async function readRecordedCalls(directory: string): Promise<RecordedAwsCall[]> {
  const files = (await readdir(directory).catch(() => [])).filter((name) => name.endsWith('.jsonl'));
  const calls = new Map<string, RecordedAwsCall>();
  for (const name of files) {
    for (const line of (await readFile(join(directory, name), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const call = JSON.parse(line) as RecordedAwsCall;
      calls.set(recordedCallKey(call), call);
    }
  }
  return [...calls.values()];
}
