// Runs the partner-transfers CLI as a user would: a subprocess through its bin file, with its own config directory
// (one per signed-in user), no terminal unless a test drives it through a pseudo-terminal.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI_BIN = resolve('packages/cli/bin/partner-transfers.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliUser {
  configDir: string;
  run(args: readonly string[]): Promise<CliRun>;
  /** The command's --json output, parsed; fails the test with the CLI's own output when it is not JSON. */
  json<T = Record<string, unknown>>(args: readonly string[], expectedCode?: number): Promise<T>;
  env: NodeJS.ProcessEnv;
}

const cleanEnv = (): NodeJS.ProcessEnv => {
  const { PARTNER_TRANSFERS_API_URL: _url, PARTNER_TRANSFERS_TOKEN: _token, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1' };
};

export async function cliUser(): Promise<CliUser> {
  const configDir = await mkdtemp(join(tmpdir(), 'partner-transfers-cli-'));
  const env = { ...cleanEnv(), PARTNER_TRANSFERS_CONFIG_DIR: configDir };
  const run = (args: readonly string[]) =>
    new Promise<CliRun>((resolveRun) => {
      execFile(
        process.execPath,
        [CLI_BIN, ...args],
        { env, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolveRun({ code, stdout, stderr });
        },
      );
    });
  return {
    configDir,
    env,
    run,
    async json<T>(args: readonly string[], expectedCode = 0): Promise<T> {
      const result = await run(['--json', ...args]);
      const context = `partner-transfers --json ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`;
      if (result.code !== expectedCode) throw new Error(context);
      try {
        return JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(`not JSON: ${context}`);
      }
    },
  };
}

/** The CLI in a pseudo-terminal (Python's pty, 120x40): a test waits for text and types keys like a person. */
export function cliInTerminal(args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = spawn(
    'python3',
    [
      '-c',
      'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))',
      'sh',
      '-c',
      'stty cols 120 rows 40 && exec "$0" "$@"',
      process.execPath,
      CLI_BIN,
      ...args,
    ],
    { env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let screen = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      if (screen.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number>((resolveExit) => child.on('exit', (code) => resolveExit(code ?? 1)));
  return {
    screen: () => screen,
    waitFor(text: string): Promise<void> {
      if (screen.includes(text)) return Promise.resolve();
      return new Promise((resolveWait) => waiters.push({ text, resolve: resolveWait }));
    },
    type(keys: string): void {
      child.stdin.write(keys);
    },
    exited,
  };
}

export const KEY = { space: ' ', down: '\u001b[B', enter: '\r' } as const;
