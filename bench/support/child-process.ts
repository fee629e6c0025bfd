// Benchmarks run in child processes: one cloud per process (handler modules keep their SDK clients for the life of
// the process, like a warm Lambda), and a load generator that never shares an event loop with what it measures.
import { type ChildProcess, fork } from 'node:child_process';
import { isProgressMessage } from './progress.ts';

export interface BenchChild<Message> {
  child: ChildProcess;
  /** The child's first IPC message other than a progress report. */
  firstMessage: Promise<Message>;
  /** Asks the child to stop ('stop' message), then kills it if it lingers. */
  stop(): Promise<void>;
}

/** Forks a TypeScript module with the same loader (tsx) as this process. */
export function forkBench<Message>(
  module: URL,
  args: string[] = [],
  options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {},
): BenchChild<Message> {
  const child = fork(module, args, {
    execArgv: [...process.execArgv, ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstMessage = new Promise<Message>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (isProgressMessage(message)) return;
      child.off('message', onMessage);
      resolve(message as Message);
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) =>
      reject(new Error(`${module.pathname} exited (${code ?? signal}) before reporting`)),
    );
    child.once('error', reject);
  });
  firstMessage.catch(() => undefined);
  return {
    child,
    firstMessage,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
