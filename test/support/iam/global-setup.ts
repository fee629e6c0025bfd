// One folder per test run for the AWS calls the suites record (aws-call-recorder.ts). Every project of the run gets
// the same folder (the first one to start creates it); the IAM simulation project, which runs last, removes it at
// the end. A folder named in PARTNER_TRANSFERS_AWS_CALL_DIRECTORY is used as is and kept, to look at the calls.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    awsCallDirectory: string;
  }
}

const VARIABLE = 'PARTNER_TRANSFERS_AWS_CALL_DIRECTORY';
/** Set when this run created the folder (so it removes it), not the caller. */
const CREATED = 'PARTNER_TRANSFERS_AWS_CALL_DIRECTORY_CREATED';

export default function setup(project: TestProject): () => Promise<void> {
  if (!process.env[VARIABLE]) {
    process.env[VARIABLE] = mkdtempSync(join(tmpdir(), 'partner-transfers-aws-calls-'));
    process.env[CREATED] = 'true';
  }
  const directory = process.env[VARIABLE];
  project.provide('awsCallDirectory', directory);
  return async () => {
    if (project.name === 'iam-simulation' && process.env[CREATED] === 'true') {
      await rm(directory, { recursive: true, force: true });
    }
  };
}
