// The local cloud under test, its `npm start` entry (infra/local/main.ts, bundled: see cloud-bundle.ts) in a child
// process on a data folder, so that the campaign can `kill -9` it at any moment and start it again on the same data
// and ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { REPOSITORY_ROOT } from '#local/paths.ts';

export interface CloudPorts {
  api: number;
  dynamodb: number;
  ses: number;
  stepfunctions: number;
}

export interface CloudProcessSettings {
  /** The module node runs: the bundle of infra/local/main.ts. */
  main: string;
  /**
   * The folder served as the console: a placeholder page (the campaign never uses the console; without a folder a
   * start would build it with vite).
   */
  consoleDir: string;
  ports: CloudPorts;
  dataDir: string;
  /** Where the signing key lives (LOCAL_CLOUD_HOME). */
  home: string;
  acceptanceWindowSeconds: number;
  moveFaults: string;
  emulatorFaults: string;
  /** `--crash-lease-seconds`; absent: the production values. */
  crashLeaseSeconds?: number;
  /** Every line the cloud prints, for the campaign's log file. */
  onOutput: (line: string) => void;
}

const READY_LINE = 'partner-transfers local cloud is running';
const START_TIMEOUT_MS = 120_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Four free loopback ports, kept for the whole campaign so that clients find the cloud again after a restart. */
export async function pickCloudPorts(): Promise<CloudPorts> {
  const picked = new Set<number>();
  const next = async () => {
    for (;;) {
      const port = await freePort();
      if (!picked.has(port)) {
        picked.add(port);
        return port;
      }
    }
  };
  return { api: await next(), dynamodb: await next(), ses: await next(), stepfunctions: await next() };
}

export class CloudProcess {
  private child: ChildProcess | undefined;
  constructor(private readonly settings: CloudProcessSettings) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the cloud and resolves once it printed its banner (tables ready, sandbox seeded, transfers resumed). A
   * start that fails (under injected emulator faults the seed or the resume may give up) is tried again, like an
   * operator would, a few times.
   */
  async start(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        return attempt;
      } catch (error) {
        if (attempt >= 5) throw error;
        this.settings.onOutput(`[chaos] start attempt ${attempt} failed; trying again`);
      }
    }
  }

  private async startOnce(): Promise<void> {
    const { ports, dataDir } = this.settings;
    const child = spawn(
      process.execPath,
      [
        this.settings.main,
        '--api-port',
        String(ports.api),
        '--dynamodb-port',
        String(ports.dynamodb),
        '--ses-port',
        String(ports.ses),
        '--stepfunctions-port',
        String(ports.stepfunctions),
        // The console and its identity provider are not part of the campaign: any free port.
        '--console-port',
        '0',
        '--identity-port',
        '0',
        '--console-dir',
        this.settings.consoleDir,
        '--data',
        dataDir,
        '--acceptance-window-days',
        String(this.settings.acceptanceWindowSeconds / 86_400),
        ...(this.settings.crashLeaseSeconds === undefined
          ? []
          : ['--crash-lease-seconds', String(this.settings.crashLeaseSeconds)]),
      ],
      {
        cwd: REPOSITORY_ROOT,
        env: {
          ...process.env,
          LOCAL_CLOUD_HOME: this.settings.home,
          SANDBOX_MOVE_FAULTS: this.settings.moveFaults,
          LOCAL_EMULATOR_FAULTS: this.settings.emulatorFaults,
          POWERTOOLS_METRICS_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let tail = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the local cloud did not start within ${START_TIMEOUT_MS / 1000} s:\n${tail}`));
      }, START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        const ready = (tail.slice(-READY_LINE.length) + text).includes(READY_LINE);
        tail = (tail + text).slice(-4000);
        for (const line of text.split('\n')) if (line.trim() !== '') this.settings.onOutput(line);
        if (ready) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the local cloud exited (${code ?? signal}) while starting:\n${tail}`));
      });
    });
  }

  /** kill -9: no shutdown hook runs, in-flight requests and workflow tasks die mid-way. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** A clean stop (SIGTERM), for the end of the campaign. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
