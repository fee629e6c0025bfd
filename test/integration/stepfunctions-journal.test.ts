// The Step Functions endpoint on a journal file (the local cloud's data folder): an execution still running when the
// process stops, closed or killed, starts again with its name and input on the next start; a finished one does not.
// On the same folder, a definition the engine validated once is remembered (not validated at every restart).
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { type StepFunctionsServer, startStepFunctionsServer } from '#local/stepfunctions/index.ts';
import { validatedDefinitionsFile } from '#local/stepfunctions/validated-definitions.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:work';
const DEFINITION = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: FUNCTION_ARN, 'Payload.$': '$' },
      End: true,
    },
  },
};

const servers: StepFunctionsServer[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A server whose Lambda answers at once for `{ finish: true }` and never for anything else. */
async function serverOn(journalFile: string, invoked: string[]) {
  const server = await startStepFunctionsServer({
    port: 0,
    journalFile,
    invokeLambda: (_name, payload) => {
      const input = payload as { id: string; finish?: boolean };
      invoked.push(input.id);
      return input.finish ? Promise.resolve({ done: input.id }) : new Promise<never>(() => undefined);
    },
  });
  servers.push(server);
  const client = new SFNClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { server, client, machine: server.createStateMachine('journaled', DEFINITION) };
}

async function statusOf(client: SFNClient, executionArn: string): Promise<ExecutionStatus | undefined> {
  return (await client.send(new DescribeExecutionCommand({ executionArn }))).status;
}

describe('the execution journal', () => {
  it('starts again, once, the executions that were running when the last process stopped', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sfn-journal-'));
    folders.push(folder);
    const journal = join(folder, 'stepfunctions', 'executions.jsonl');
    const firstInvoked: string[] = [];
    const first = await serverOn(journal, firstInvoked);
    const waiting = await first.client.send(
      new StartExecutionCommand({ stateMachineArn: first.machine, name: 'waiting', input: '{"id":"w"}' }),
    );
    const finished = await first.client.send(
      new StartExecutionCommand({
        stateMachineArn: first.machine,
        name: 'finished',
        input: '{"id":"f","finish":true}',
      }),
    );
    while ((await statusOf(first.client, finished.executionArn ?? '')) === 'RUNNING')
      await new Promise((resolve) => setTimeout(resolve, 10));
    first.client.destroy();
    await first.server.close();
    // A kill -9 in the middle of an append leaves a torn last line: that start was never answered.
    await appendFile(journal, '{"op":"start","stateMachineName":"journ');

    const secondInvoked: string[] = [];
    const second = await serverOn(journal, secondInvoked);
    expect(second.server.resumeJournaledExecutions('journaled')).toBe(1);
    expect(await statusOf(second.client, waiting.executionArn ?? '')).toBe('RUNNING');
    while (secondInvoked.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(secondInvoked).toEqual(['w']);
    second.client.destroy();
    await second.server.close();

    // Still running when the second process stopped: the third starts it again, and only it.
    const third = await serverOn(journal, []);
    expect(third.server.resumeJournaledExecutions('journaled')).toBe(1);
    third.client.destroy();
  });
});

describe('the validated definitions of a data folder', () => {
  const INVALID = { StartAt: 'Missing', States: { Work: { Type: 'Pass', End: true } } };

  it('remembers a definition the engine accepted, never one it refused, and validates a changed one again', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sfn-validated-'));
    folders.push(folder);
    const file = join(folder, 'stepfunctions', 'validated-definitions.txt');
    const server = await startStepFunctionsServer({
      port: 0,
      validatedDefinitionsFile: file,
      invokeLambda: () => Promise.resolve({}),
    });
    servers.push(server);
    server.createStateMachine('first', DEFINITION);
    expect(() => server.createStateMachine('invalid', INVALID)).toThrow(/Missing/);
    const remembered = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(remembered).toHaveLength(1);

    // What the next start on this folder sees: the accepted definition, not the refused or a changed one.
    const next = validatedDefinitionsFile(file);
    expect(next.has(JSON.stringify(DEFINITION))).toBe(true);
    expect(next.has(JSON.stringify(INVALID))).toBe(false);
    expect(next.has(JSON.stringify({ ...DEFINITION, Comment: 'changed' }))).toBe(false);
    // Accepted again on a restart, without a second line.
    server.createStateMachine('again', DEFINITION);
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toEqual(remembered);
  });
});
