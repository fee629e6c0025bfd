// The embedded local cloud: DynamoDB (dynalite), SES (aws-ses-v2-local), Step Functions (our endpoint on
// aws-local-stepfunctions) and the API Gateway stand-in, in one process on loopback. Handlers run unchanged:
// they reach every service through the real SDK clients, pointed here by the standard AWS_ENDPOINT_URL_* variables.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import dynalite from 'dynalite';
import { ensureTable } from '#adapters/create-table.ts';
import { createDynamoDbClient } from '#adapters/dynamodb-client.ts';
import { createDynamoDbStorage } from '#adapters/dynamodb-storage.ts';
import { createTransferWorkflow } from '#adapters/transfer-workflow.ts';
import { ROUTES, type RouteDefinition } from '#api/routes.ts';
import type { Storage } from '#application/ports.ts';
import { resumeOpenTransfers } from '#operations/resume-open-transfers.ts';
import {
  DEFAULT_WORKFLOW_SETTINGS,
  loadTransferDefinition,
  substitutePlaceholders,
  type TransferWorkflowSettings,
} from '#statemachines/transfer-definition.ts';
import { RELAY_ENTRY } from '#webhooks/entries.ts';
import { type ProxyHandler, startApiGateway, type TokenAuthorizer } from './api-gateway.ts';
import { startConsoleServer } from './console-server.ts';
import { installFairDynamoDbReads } from './dynamodb-fair-reads.ts';
import { repairSecondaryIndexes } from './dynamodb-index-repair.ts';
import { injectEmulatorFaults, parseEmulatorFaults } from './emulator-faults.ts';
import { startLocalEvents } from './events/index.ts';
import { type RelayHandler, startOutboxRelay } from './events/outbox-relay.ts';
import { AUTHORIZER_ENTRY, importHandler } from './handler-modules.ts';
import {
  API_SCOPE,
  CONSOLE_CLIENT_ID,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIdentity,
  loadLocalIdentity,
} from './identity.ts';
import { startIdentityProvider } from './identity-provider.ts';
import { listen } from './listen.ts';
import { signingKeyFile } from './paths.ts';
import { startReconcilerTimer } from './reconciler-timer.ts';
import { SANDBOX_PARTNERS, SANDBOX_USERS } from './sandbox.ts';
import { seedSandbox } from './seed-sandbox.ts';
import { startSesEmulator } from './ses-emulator.ts';
import { startStepFunctionsServer } from './stepfunctions/index.ts';
import { createWorkflowInvoker, localPlaceholderValues } from './workflow-functions.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_TABLE_NAME = 'partner-transfers';
export const LOCAL_STATE_MACHINE_NAME = 'partner-transfers-transfer';
export const LOCAL_SENDER = 'transfers@partner-transfers.local';
export const LOCAL_EVENT_BUS_NAME = 'partner-transfers-events';
const OUTBOX_RELAY_INTERVAL_MS = 100;
const JWKS_PATH = '/.well-known/jwks.json';

export interface LocalCloudOptions {
  host: string;
  apiPort: number;
  dynamodbPort: number;
  sesPort: number;
  stepfunctionsPort: number;
  consolePort: number;
  identityPort: number;
  /** The built console (vite's output) to serve; without it the console's address explains how to build it. */
  consoleDir?: string;
  /** Origins of consoles deployed elsewhere (LocalStack's) that may sign in with this cloud's OpenID provider. */
  trustedConsoleOrigins?: readonly string[];
  /** EventBridge/SQS stand-in for webhooks (default: a free port). */
  eventsPort?: number;
  /** How often the outbox relay publishes recorded transfer events (default 100 ms). */
  outboxRelayIntervalMs?: number;
  /** Tests: pauses between webhook attempts in seconds instead of the documented schedule. */
  webhookRetryDelaysSeconds?: readonly number[];
  /** Keep DynamoDB data in this folder; in memory when absent. */
  data?: string;
  acceptanceWindowDays: number;
  workflow?: TransferWorkflowSettings;
  /** Tests: retry pauses in ms instead of the ASL's intervals. */
  retryIntervalOverrideMs?: number;
  /** Sandbox fault injection for line-item moves (see functions/adapters/sandbox-move-faults). */
  moveFaults?: string;
  /** Runs the reconciler's handler this often, like its schedule on AWS (absent or 0: never; tests call it). */
  reconcileEverySeconds?: number;
  /** Emulator fault injection (throttling, dropped answers) at the DynamoDB/SES/Step Functions endpoints. */
  emulatorFaults?: string;
  /**
   * How long a write's in-progress marker and an email's claim left by a killed process block their retries
   * (IDEMPOTENCY_IN_PROGRESS_SECONDS and EMAIL_STALE_CLAIM_SECONDS; absent: 60 s and 120 s, as on AWS).
   */
  crashLeaseSeconds?: number;
  /** Where the signing key lives (default .local-cloud/ in the repository). */
  signingKeyFile?: string;
  /**
   * Business metrics as EMF lines on stdout, like a Lambda log stream carries them (on by default; tests and
   * benchmarks turn them off). Handlers read it when first imported: one setting per process.
   */
  metrics?: boolean;
  log?: (line: string) => void;
}

export interface LocalCloud {
  urls: {
    api: string;
    console: string;
    identity: string;
    dynamodb: string;
    ses: string;
    mailPage: string;
    stepfunctions: string;
    jwks: string;
    events: string;
  };
  stateMachineArn: string;
  tableName: string;
  identity: LocalIdentity;
  storage: Storage;
  resumedTransfers: number;
  close(): Promise<void>;
}

/** A local cloud on free loopback ports with its own signing key: what tests and benchmarks start. */
export function ephemeralLocalCloudOptions(signingKeyFile: string): LocalCloudOptions {
  return {
    host: '127.0.0.1',
    apiPort: 0,
    dynamodbPort: 0,
    sesPort: 0,
    stepfunctionsPort: 0,
    consolePort: 0,
    identityPort: 0,
    acceptanceWindowDays: 30,
    signingKeyFile,
    metrics: false,
  };
}

async function startDynamoDb(
  host: string,
  port: number,
  dataDir: string | undefined,
  log: (message: string) => void,
) {
  const path = dataDir ? resolve(dataDir, 'dynamodb') : undefined;
  if (path) {
    await mkdir(path, { recursive: true });
    const repair = await repairSecondaryIndexes(path);
    if (repair.written + repair.deleted > 0) {
      log(
        `DynamoDB: put right ${repair.written + repair.deleted} index entr${repair.written + repair.deleted === 1 ? 'y' : 'ies'} ` +
          'that an interrupted write left disagreeing with their items.',
      );
    }
  }
  installFairDynamoDbReads();
  const server: Server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const bound = await listen(server, host, port, 'DynamoDB');
  return {
    url: `http://${host}:${bound}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** The variables every handler reads, exactly as the CDK stack sets them on AWS. */
function serviceEnvironment(
  options: LocalCloudOptions,
  urls: LocalCloud['urls'],
  stateMachineArn: string,
  webhookQueueUrl: string,
) {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SES: urls.ses,
    AWS_ENDPOINT_URL_SFN: urls.stepfunctions,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.events,
    AWS_ENDPOINT_URL_SQS: urls.events,
    EVENT_BUS_NAME: LOCAL_EVENT_BUS_NAME,
    WEBHOOK_QUEUE_URL: webhookQueueUrl,
    WEBHOOK_RETRY_DELAYS_SECONDS: options.webhookRetryDelaysSeconds?.join(',') ?? '',
    TABLE_NAME: LOCAL_TABLE_NAME,
    STATE_MACHINE_ARN: stateMachineArn,
    SES_SENDER_ADDRESS: LOCAL_SENDER,
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    JWKS_URL: urls.jwks,
    ACCEPTANCE_WINDOW_DAYS: String(options.acceptanceWindowDays),
    // A new secret per start: continuation tokens from an earlier run are refused (a 400), like after a key rotation.
    CONTINUATION_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    CONSOLE_URL: urls.console,
    CONSOLE_ORIGIN: urls.console,
    DEPLOYMENT_STAGE: 'local',
    // Always set, so a second cloud in the same process never inherits the first one's faults.
    SANDBOX_MOVE_FAULTS: options.moveFaults ?? '',
    IDEMPOTENCY_IN_PROGRESS_SECONDS: options.crashLeaseSeconds?.toString() ?? '',
    EMAIL_STALE_CLAIM_SECONDS: options.crashLeaseSeconds?.toString() ?? '',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED:
      options.metrics === undefined
        ? (process.env.POWERTOOLS_METRICS_DISABLED ?? 'false')
        : String(!options.metrics),
  };
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => undefined);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const identity = await loadLocalIdentity(options.signingKeyFile ?? signingKeyFile());
    const dynamodb = await startDynamoDb(options.host, options.dynamodbPort, options.data, log);
    closers.push(dynamodb.close);
    const ses = await startSesEmulator(options.host, options.sesPort);
    closers.push(ses.close);
    const faultPlan = parseEmulatorFaults(options.emulatorFaults ?? '');
    injectEmulatorFaults(dynamodb.server, 'dynamodb', faultPlan);
    injectEmulatorFaults(ses.server, 'ses', faultPlan);
    const workflowFunctions = createWorkflowInvoker();
    // Closed after the Step Functions endpoint (closers run in reverse), before DynamoDB: no task is left
    // writing to a closed database.
    closers.push(() => workflowFunctions.drain());
    const stepfunctions = await startStepFunctionsServer({
      host: options.host,
      port: options.stepfunctionsPort,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      invokeLambda: (functionName, payload) => workflowFunctions.invoke(functionName, payload),
      ...(options.data
        ? {
            journalFile: resolve(options.data, 'stepfunctions', 'executions.jsonl'),
            validatedDefinitionsFile: resolve(options.data, 'stepfunctions', 'validated-definitions.txt'),
          }
        : {}),
      ...(options.retryIntervalOverrideMs === undefined
        ? {}
        : { retryIntervalOverrideMs: options.retryIntervalOverrideMs }),
      logger: {
        info: () => undefined,
        warn: (message: string) => log(`[stepfunctions] ${message}`),
        error: (message: string) => log(`[stepfunctions] ${message}`),
      },
    });
    closers.push(() => stepfunctions.close());
    injectEmulatorFaults(stepfunctions.httpServer, 'stepfunctions', faultPlan);
    const definition = substitutePlaceholders(
      loadTransferDefinition(options.workflow ?? DEFAULT_WORKFLOW_SETTINGS),
      localPlaceholderValues(LOCAL_REGION, LOCAL_ACCOUNT_ID),
    );
    const stateMachineArn = stepfunctions.createStateMachine(LOCAL_STATE_MACHINE_NAME, definition);

    const events = await startLocalEvents({
      host: options.host,
      port: options.eventsPort ?? 0,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      busName: LOCAL_EVENT_BUS_NAME,
      data: options.data,
      log,
    });
    closers.push(events.close);

    // Imported on first use (after the environment below is set), then kept, like a warm Lambda container.
    let authorizerModule: Promise<TokenAuthorizer> | undefined;
    const loadAuthorizer = () => (authorizerModule ??= importHandler<TokenAuthorizer>(AUTHORIZER_ENTRY));
    // The API port is bound before the environment is final, so the JWKS URL can name it.
    let consoleOrigin: string | undefined;
    const api = await startApiGateway({
      host: options.host,
      port: options.apiPort,
      stage: 'local',
      routes: ROUTES,
      loadHandler: (route: RouteDefinition) => importHandler<ProxyHandler>(route.entry),
      authorizer: async (event, context) => (await loadAuthorizer())(event, context),
      staticDocuments: { [JWKS_PATH]: identity.jwks },
      corsOrigin: () => consoleOrigin,
    });
    closers.push(api.close);
    // The console first (the identity provider registers it as its client), then the provider, then the
    // console learns where both are.
    const consoleServer = await startConsoleServer({
      host: options.host,
      port: options.consolePort,
      ...(options.consoleDir ? { dir: options.consoleDir } : {}),
    });
    closers.push(consoleServer.close);
    consoleOrigin = consoleServer.url;
    const identityProvider = await startIdentityProvider({
      host: options.host,
      port: options.identityPort,
      identity,
      consoleOrigins: [consoleServer.url, ...(options.trustedConsoleOrigins ?? [])],
      users: SANDBOX_USERS,
      partners: SANDBOX_PARTNERS,
    });
    closers.push(identityProvider.close);
    consoleServer.configure({
      apiUrl: api.url,
      authority: LOCAL_ISSUER,
      metadataUrl: `${identityProvider.url}/.well-known/openid-configuration`,
      clientId: CONSOLE_CLIENT_ID,
      scope: `openid profile ${API_SCOPE}`,
    });
    const urls: LocalCloud['urls'] = {
      api: api.url,
      console: consoleServer.url,
      identity: identityProvider.url,
      dynamodb: dynamodb.url,
      ses: ses.url,
      mailPage: `${ses.url}/`,
      stepfunctions: stepfunctions.endpoint,
      jwks: `${api.url}${JWKS_PATH}`,
      events: events.url,
    };
    Object.assign(process.env, serviceEnvironment(options, urls, stateMachineArn, events.queueUrl));

    let relayModule: Promise<RelayHandler> | undefined;
    const client = createDynamoDbClient({ endpoint: urls.dynamodb, region: LOCAL_REGION });
    closers.push(async () => client.destroy());
    await ensureTable(client, LOCAL_TABLE_NAME);
    const storage = createDynamoDbStorage({ tableName: LOCAL_TABLE_NAME });
    const seeded = await seedSandbox(storage);
    log(seeded ? 'Seeded the sandbox.' : 'Sandbox already seeded: kept the existing data.');
    // First every execution that was running when the last process stopped (a transfer already terminal may still
    // owe its closing steps: those are no longer open, so only the journal knows them), then one for each open
    // transfer (named after its current run, it finds the journaled execution of that run already running).
    const resumedExecutions = stepfunctions.resumeJournaledExecutions(LOCAL_STATE_MACHINE_NAME);
    if (resumedExecutions > 0) log(`Resumed ${resumedExecutions} workflow execution(s) that were running.`);
    const relay = startOutboxRelay({
      intervalMs: options.outboxRelayIntervalMs ?? OUTBOX_RELAY_INTERVAL_MS,
      loadHandler: () => (relayModule ??= importHandler<RelayHandler>(RELAY_ENTRY)),
      log,
    });
    // Before the queue consumer and the bus stop (closers run in reverse).
    closers.push(() => relay.stop());
    const resumedTransfers = await resumeOpenTransfers(
      { storage, workflow: createTransferWorkflow(stateMachineArn) },
      { log },
    );
    if (resumedTransfers > 0) log(`Resumed ${resumedTransfers} transfer(s) that were in flight.`);
    if (options.reconcileEverySeconds) {
      // Stopped first (closers run in reverse): no run starts against services that are closing.
      closers.push(startReconcilerTimer(options.reconcileEverySeconds, log));
    }

    return {
      urls,
      stateMachineArn,
      tableName: LOCAL_TABLE_NAME,
      identity,
      storage,
      resumedTransfers,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
