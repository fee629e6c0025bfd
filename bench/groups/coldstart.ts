// Cold start: the bundle of every function (each ROUTES entry, each WORKFLOW_TASKS entry, the authorizer, the webhook
// deliverer and relay, the reconciler), built
// with the CDK stack's own esbuild settings, and its module init time (a fresh Node process importing it, median of
// 20), next to the floor: a bundle, built the same way, that only creates the same AWS SDK clients.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROUTES } from '#api/routes.ts';
import { functionSettings } from '#aws/transfer-function.ts';
import { RECONCILER_ENTRY } from '#aws/transfer-reconciler.ts';
import { REPOSITORY_ROOT } from '#local/paths.ts';
import type { FunctionAccess } from '#shared/function-access.ts';
import { DELIVERER_ACCESS, DELIVERER_ENTRY, RELAY_ACCESS, RELAY_ENTRY } from '#webhooks/entries.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import type { GroupRun } from '../support/group-run.ts';
import { CellProgress } from '../support/progress.ts';
import type { ReportTable, TargetVerdict } from '../support/report.ts';
import { fixed, formatBytes, formatRatio, median, ratio } from '../support/stats.ts';

const run$ = promisify(execFile);
const OUT_DIR = fileURLToPath(new URL('../results/bundles/', import.meta.url));
const TARGET_RATIO = 1.3;
const AUTHORIZER_ENTRY = 'functions/authorizer/handler.ts';
/** How the bytes beyond the floor split: which packages are Powertools, which are middy, which are ours. */
const EXTRA_GROUPS: { name: string; matches: (name: string) => boolean }[] = [
  { name: 'our code', matches: (name) => /^(functions|statemachines)\//.test(name) },
  { name: 'zod/mini', matches: (name) => name === 'zod' },
  {
    name: 'Powertools Logger and Metrics',
    matches: (name) => /^@aws-lambda-powertools\/|^@aws\/lambda-invoke-store$/.test(name),
  },
  { name: 'middy', matches: (name) => name.startsWith('@middy/') },
  {
    name: 'AWS SDK beyond the clients (commands, marshalling)',
    matches: (name) => /^@(aws-sdk|smithy)\//.test(name),
  },
];

type SdkClient = 'dynamodb' | 'eventbridge' | 'sfn' | 'ses' | 'sqs';

interface FunctionEntry {
  /** Route ids / task id sharing this entry. */
  ids: string[];
  entry: string;
  clients: SdkClient[];
}

/** The SDK clients a function's declared access implies (what the CDK stack grants it). */
function clientsOf(access: FunctionAccess): SdkClient[] {
  return [
    ...(access.table.length > 0 ? (['dynamodb'] as const) : []),
    ...((access.workflow ?? []).length > 0 ? (['sfn'] as const) : []),
    ...(access.sendEmail ? (['ses'] as const) : []),
    ...((access.webhookQueue ?? []).length > 0 ? (['sqs'] as const) : []),
    ...(access.publishEvents ? (['eventbridge'] as const) : []),
  ];
}

/** Each distinct entry once, with the SDK clients its access implies (what the CDK stack grants it). */
function functionEntries(): FunctionEntry[] {
  const byEntry = new Map<string, FunctionEntry>();
  const add = (id: string, entry: string, clients: SdkClient[]) => {
    const known = byEntry.get(entry);
    if (known) {
      known.ids.push(id);
      for (const client of clients) if (!known.clients.includes(client)) known.clients.push(client);
    } else byEntry.set(entry, { ids: [id], entry, clients: [...clients] });
  };
  for (const route of ROUTES) add(route.id, route.entry, clientsOf(route.access));
  for (const task of WORKFLOW_TASKS) add(task.id, task.entry, clientsOf(task.access));
  add('authorizer', AUTHORIZER_ENTRY, []);
  add('deliverer', DELIVERER_ENTRY, clientsOf(DELIVERER_ACCESS));
  add('relay', RELAY_ENTRY, clientsOf(RELAY_ACCESS));
  // The reconciler's grants live in its construct (infra/aws/transfer-reconciler.ts): the table and the workflow.
  add('reconciler', RECONCILER_ENTRY, ['dynamodb', 'sfn']);
  for (const entry of byEntry.values()) entry.clients.sort();
  return [...byEntry.values()];
}

const CLIENT_SETTINGS =
  '{ maxAttempts: 3, requestHandler: { requestTimeout: 5000, connectionTimeout: 2000, throwOnRequestTimeout: true } }';

/** How functions/adapters imports and creates each client, as the floor's source lines. */
const FLOOR_CLIENTS: Record<SdkClient, { imports: string[]; create: string }> = {
  dynamodb: {
    imports: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    ],
    create: `DynamoDBDocumentClient.from(new DynamoDBClient(${CLIENT_SETTINGS}), { marshallOptions: { removeUndefinedValues: true } })`,
  },
  eventbridge: {
    imports: ["import { EventBridgeClient } from '@aws-sdk/client-eventbridge';"],
    create: `new EventBridgeClient(${CLIENT_SETTINGS})`,
  },
  sfn: {
    imports: ["import { SFNClient } from '@aws-sdk/client-sfn';"],
    create: `new SFNClient(${CLIENT_SETTINGS})`,
  },
  ses: {
    imports: ["import { SESClient } from '@aws-sdk/client-ses';"],
    create: `new SESClient(${CLIENT_SETTINGS})`,
  },
  sqs: {
    imports: ["import { SQSClient } from '@aws-sdk/client-sqs';"],
    create: `new SQSClient(${CLIENT_SETTINGS})`,
  },
};

/** The floor's source: the same SDK clients, created like functions/adapters creates them, and a handler. */
function floorSource(clients: readonly SdkClient[]): string {
  const lines = [
    ...clients.flatMap((client) => FLOOR_CLIENTS[client].imports),
    ...clients.map((client) => `const ${client} = ${FLOOR_CLIENTS[client].create};`),
    `export const handler = async () => [${clients.join(', ')}].length;`,
  ];
  return `${lines.join('\n')}\n`;
}

interface Bundle {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Output bytes per package (node_modules name, or the repository folder). */
  byPackage: Record<string, number>;
}

const packageOf = (input: string) => {
  const inModules = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return inModules ? (inModules[1] ?? input) : input.split('/').slice(0, 2).join('/');
};

/** esbuild with the settings NodejsFunction gets from infra/aws/transfer-function.ts (AWS SDK bundled in). */
async function bundle(entry: { path: string } | { contents: string }, outfile: string): Promise<Bundle> {
  const settings = functionSettings.bundling;
  const result = await build({
    ...('path' in entry
      ? { entryPoints: [entry.path] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: REPOSITORY_ROOT,
            loader: 'js',
            sourcefile: 'floor.mjs',
          },
        }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: settings.target,
    mainFields: [...settings.mainFields],
    minify: settings.minify,
    keepNames: settings.keepNames,
    sourcemap: settings.sourceMap ? 'external' : false,
    sourcesContent: settings.sourcesContent,
    banner: { js: settings.banner },
    metafile: true,
    logLevel: 'error',
  });
  const byPackage: Record<string, number> = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
    }
  }
  const bytes = (await stat(outfile)).size;
  return { file: outfile, bytes, gzipBytes: gzipSync(await readFile(outfile)).byteLength, byPackage };
}

/** What the stack sets on every function (values that pass validation; nothing is contacted at init). */
const FUNCTION_ENVIRONMENT: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'partner-transfers',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:partner-transfers-transfer',
  SES_SENDER_ADDRESS: 'transfers@example.com',
  JWT_ISSUER: 'https://identity.example.com',
  JWT_AUDIENCE: 'partner-transfers',
  JWKS_URL: 'https://identity.example.com/.well-known/jwks.json',
  ACCEPTANCE_WINDOW_DAYS: '30',
  CONSOLE_URL: 'https://console.example.com',
  DEPLOYMENT_STAGE: 'aws',
  POWERTOOLS_SERVICE_NAME: 'partner-transfers',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/**
 * The stack sets NODE_OPTIONS=--enable-source-maps on every function: init pays for reading the map too.
 * --no-warnings: the SDK prints a "needs Node 22" warning at import on this machine's Node 20 only.
 */
const NODE_FLAGS = ['--enable-source-maps', '--no-warnings'];
const IMPORT_TIMER =
  'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));';

async function initTime(file: string): Promise<number> {
  const { stdout } = await run$(
    process.execPath,
    [...NODE_FLAGS, '--input-type=module', '-e', IMPORT_TIMER, `file://${file}`],
    { env: FUNCTION_ENVIRONMENT },
  );
  return Number(stdout);
}

export interface ColdStartResult {
  ids: string[];
  entry: string;
  clients: SdkClient[];
  bundle: Bundle;
  floorKey: string;
  initMs: number;
  error?: string;
}

export const run: GroupRun = async ({ quick }) => {
  const samples = quick ? 5 : 20;
  const progress = new CellProgress(1 + samples);
  progress.start('bundling every function and its SDK-only floor');
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });
  const entries = functionEntries();
  const missing = entries.filter((entry) => !existsSync(resolve(REPOSITORY_ROOT, entry.entry)));
  const present = entries.filter((entry) => !missing.includes(entry));

  const floors = new Map<string, Bundle>();
  for (const clients of new Set(present.map((entry) => entry.clients.join('+')))) {
    const list = clients === '' ? [] : (clients.split('+') as SdkClient[]);
    floors.set(
      clients,
      await bundle({ contents: floorSource(list) }, `${OUT_DIR}floor-${clients || 'none'}/index.mjs`),
    );
  }
  const bundles = new Map<FunctionEntry, Bundle>();
  for (const entry of present) {
    const name = entry.entry
      .replace(/^functions\//, '')
      .replace(/\.ts$/, '')
      .replaceAll('/', '-');
    const path = resolve(REPOSITORY_ROOT, entry.entry);
    bundles.set(entry, await bundle({ path }, `${OUT_DIR}${name}/index.mjs`));
  }

  // Interleaved, so drift in the machine's speed spreads over functions and floors alike.
  const times = new Map<string, number[]>();
  const errors = new Map<string, string>();
  const targets = [...[...bundles.values()].map((b) => b.file), ...[...floors.values()].map((b) => b.file)];
  for (let round = 0; round < samples; round += 1) {
    progress.start(`init times, round ${round + 1} of ${samples} (${targets.length} bundles)`);
    for (const file of targets) {
      if (errors.has(file)) continue;
      try {
        const list = times.get(file) ?? [];
        list.push(await initTime(file));
        times.set(file, list);
      } catch (error) {
        errors.set(
          file,
          (error as { stderr?: string }).stderr?.split('\n').find((l) => l.trim()) ?? String(error),
        );
      }
    }
  }
  const initOf = (file: string) => median(times.get(file) ?? []);

  const results: ColdStartResult[] = present.map((entry) => {
    const built = bundles.get(entry) as Bundle;
    const error = errors.get(built.file);
    return {
      ids: entry.ids,
      entry: entry.entry,
      clients: entry.clients,
      bundle: built,
      floorKey: entry.clients.join('+'),
      initMs: initOf(built.file),
      ...(error ? { error } : {}),
    };
  });
  return summarise(results, floors, initOf, errors, samples, missing);
};

function summarise(
  results: ColdStartResult[],
  floors: Map<string, Bundle>,
  initOf: (file: string) => number,
  errors: Map<string, string>,
  samples: number,
  missing: FunctionEntry[],
) {
  const settings = functionSettings.bundling;
  const rows = results.map((result) => {
    const floor = floors.get(result.floorKey) as Bundle;
    const floorInit = initOf(floor.file);
    const hasClients = result.clients.length > 0;
    return {
      result,
      floor,
      floorInit,
      sizeRatio: hasClients ? ratio(result.bundle.bytes, floor.bytes) : Number.NaN,
      initRatio: hasClients ? ratio(result.initMs, floorInit) : Number.NaN,
    };
  });
  const table: ReportTable = {
    title:
      `Cold start: bundle size and module init (fresh node ${NODE_FLAGS.join(' ')}, median of ${samples}), ` +
      `esbuild ${settings.format}/${settings.target}/minify${settings.keepNames ? '/keepNames' : ''}, AWS SDK bundled`,
    headers: [
      'function',
      'SDK clients',
      'bundle',
      'of it zod',
      'gzip',
      'floor',
      'size ratio',
      'init ms',
      'floor init',
      'init ratio',
    ],
    rows: rows.map(({ result, floor, floorInit, sizeRatio, initRatio }) => {
      return [
        result.ids.join(', '),
        result.clients.join('+') || 'none',
        formatBytes(result.bundle.bytes),
        formatBytes(result.bundle.byPackage.zod ?? 0),
        formatBytes(result.bundle.gzipBytes),
        formatBytes(floor.bytes),
        formatRatio(sizeRatio),
        result.error ? `error: ${result.error.slice(0, 60)}` : fixed(result.initMs, 1),
        fixed(floorInit, 1),
        formatRatio(initRatio),
      ];
    }),
    notes: [
      'Bundling settings are read from functionSettings.bundling in infra/aws/transfer-function.ts (the CDK ' +
        `stack's own): platform node, format ${settings.format}, target ${settings.target}, minify, keepNames, ` +
        'mainFields module,main, the createRequire banner, external source map. Choice: the AWS SDK v3 is bundled ' +
        '(bundleAwsSDK: true) for version pinning, not taken from the Lambda runtime.',
      'floor = a bundle built the same way whose code only imports and creates the same SDK clients (DynamoDB + ' +
        "document client, Step Functions, SES, SQS, EventBridge, as the function's access in routes.ts / tasks.ts / " +
        'webhooks/entries.ts / the reconciler construct implies). ' +
        'Functions without any SDK client have an empty floor: no ratio.',
      `init = time of the dynamic import() of the bundle in a fresh process (Node ${process.version} here; Lambda ` +
        'runs the runtime named in the stack), with the function environment the stack sets.',
    ],
  };
  if (missing.length > 0) {
    table.notes?.push(`Not built (entry file missing): ${missing.map((entry) => entry.entry).join(', ')}.`);
  }
  if (errors.size > 0) table.notes?.push(`Init failed for ${errors.size} bundle(s): see the init column.`);

  const withFloor = rows.filter((row) => row.result.clients.length > 0);
  const sizeMissed = withFloor.filter((row) => !(row.sizeRatio <= TARGET_RATIO));
  const initMissed = withFloor.filter((row) => !(row.initRatio <= TARGET_RATIO));
  const worst = (list: typeof rows, key: 'sizeRatio' | 'initRatio') =>
    list.reduce<(typeof rows)[number] | undefined>(
      (a, b) => (a === undefined || b[key] > a[key] ? b : a),
      undefined,
    );
  const worstSize = worst(withFloor, 'sizeRatio');
  /** The largest packages the function has beyond its floor. */
  const differenceOf = (row: (typeof rows)[number] | undefined) => {
    if (!row) return 'n/a';
    return Object.entries(row.result.bundle.byPackage)
      .map(([name, bytes]) => [name, bytes - (row.floor.byPackage[name] ?? 0)] as const)
      .filter(([, bytes]) => bytes > 1024)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, bytes]) => `${name} ${formatBytes(bytes)}`)
      .join(', ');
  };
  /** The bytes beyond the floor, by group (our code, zod, Powertools, middy, SDK commands). */
  const extraByGroup = (row: (typeof rows)[number] | undefined) =>
    EXTRA_GROUPS.map(({ name, matches }) => {
      const bytes = Object.entries(row?.result.bundle.byPackage ?? {})
        .filter(([packageName]) => matches(packageName))
        .reduce((sum, [packageName, size]) => sum + size - (row?.floor.byPackage[packageName] ?? 0), 0);
      return `${name} ${formatBytes(bytes)}`;
    }).join(', ');
  const worstInit = worst(withFloor, 'initRatio');
  const noFloor = rows.filter((row) => row.result.clients.length === 0);
  const targets: TargetVerdict[] = [
    {
      target: `Every function bundle <= ${TARGET_RATIO}x its floor in size and init time`,
      measured:
        `size: ${withFloor.length - sizeMissed.length}/${withFloor.length} within (worst ${worstSize?.result.ids[0]} ` +
        `${formatRatio(worstSize?.sizeRatio ?? Number.NaN)}); init: ${withFloor.length - initMissed.length}/` +
        `${withFloor.length} within (worst ${worstInit?.result.ids[0]} ${formatRatio(worstInit?.initRatio ?? Number.NaN)}); ` +
        `no SDK client, so no floor: ${noFloor.map((row) => `${row.result.ids[0]} ${formatBytes(row.result.bundle.bytes)}`).join(', ')}`,
      met: withFloor.length === 0 ? null : sizeMissed.length === 0 && initMissed.length === 0,
      ...(sizeMissed.length + initMissed.length === 0
        ? {}
        : {
            explanation:
              `beyond its SDK clients (${formatBytes(worstSize?.floor.bytes ?? 0)}), ${worstSize?.result.ids[0]} ` +
              `bundles ${differenceOf(worstSize)}; by group: ${extraByGroup(worstSize)}. Init follows size (parse ` +
              'and evaluate)',
          }),
    },
  ];
  return {
    title: 'Cold start: bundle size and init time against an SDK-clients-only bundle',
    tables: [table],
    targets,
    data: {
      settings,
      nodeFlags: NODE_FLAGS,
      samples,
      results,
      floors: Object.fromEntries(
        [...floors].map(([key, floor]) => [key || 'none', { ...floor, initMs: initOf(floor.file) }]),
      ),
    },
  };
}
