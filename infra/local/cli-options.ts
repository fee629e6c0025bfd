// Command-line and environment options of `npm start`, validated once.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_STALE_CLAIM_SECONDS } from '#adapters/dynamodb-email-marker-store.ts';
import { DEFAULT_IN_PROGRESS_TIMEOUT_SECONDS } from '#adapters/dynamodb-idempotency-store.ts';
import { MoveFaultSyntaxError, parseMoveFaults } from '#adapters/sandbox-move-faults.ts';
import { EmulatorFaultSyntaxError, parseEmulatorFaults } from './emulator-faults.ts';

const port = z.coerce.number().int().min(0).max(65535);

export const DEFAULT_PORTS = {
  api: 4710,
  dynamodb: 4711,
  ses: 4712,
  stepfunctions: 4713,
  console: 4714,
  identity: 4715,
} as const;

const OPTIONS_SCHEMA = z.object({
  host: z.string().default('127.0.0.1'),
  apiPort: port.default(DEFAULT_PORTS.api),
  dynamodbPort: port.default(DEFAULT_PORTS.dynamodb),
  sesPort: port.default(DEFAULT_PORTS.ses),
  stepfunctionsPort: port.default(DEFAULT_PORTS.stepfunctions),
  consolePort: port.default(DEFAULT_PORTS.console),
  identityPort: port.default(DEFAULT_PORTS.identity),
  /** Consoles deployed elsewhere (LocalStack's ConsoleUrl) that sign in with the local OpenID provider: origins. */
  trustedConsoleOrigins: z
    .array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin))
    .default([]),
  /** EventBridge/SQS stand-in: only the in-process handlers call it, so a free port by default. */
  eventsPort: port.default(0),
  /** How often the outbox relay looks for unpublished transfer events (env only; tests stretch it). */
  outboxRelayIntervalMs: z.coerce.number().int().min(10).default(100),
  data: z.string().min(1).optional(),
  /** A console built already (vite's output), served instead of building one at start. */
  consoleDir: z.string().min(1).optional(),
  acceptanceWindowDays: z.coerce.number().positive().default(30),
  /** The reconciler runs this often (0: never), like its schedule on AWS. */
  reconcileEverySeconds: z.coerce.number().min(0).default(60),
  /** SANDBOX_MOVE_FAULTS rules, checked here so that a typo stops the start instead of the first move. */
  moveFaults: z
    .string()
    .optional()
    .superRefine((value, context) => {
      if (value === undefined || value.trim() === '') return;
      try {
        parseMoveFaults(value);
      } catch (error) {
        if (!(error instanceof MoveFaultSyntaxError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
      }
    }),
  /** At most the shorter default (see EMAIL_STALE_CLAIM_SECONDS in functions/shared/config.ts). */
  crashLeaseSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(Math.min(DEFAULT_IN_PROGRESS_TIMEOUT_SECONDS, DEFAULT_STALE_CLAIM_SECONDS))
    .optional(),
  emulatorFaults: z
    .string()
    .optional()
    .superRefine((value, context) => {
      try {
        parseEmulatorFaults(value ?? '');
      } catch (error) {
        if (!(error instanceof EmulatorFaultSyntaxError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
      }
    }),
});

export type LocalCloudCliOptions = z.output<typeof OPTIONS_SCHEMA>;

export const USAGE = `Usage: npm start -- [options]
  --host <addr>                 bind address (default 127.0.0.1; env LOCAL_HOST)
  --api-port <n>                API Gateway stand-in (default ${DEFAULT_PORTS.api}; env LOCAL_API_PORT)
  --dynamodb-port <n>           DynamoDB endpoint (default ${DEFAULT_PORTS.dynamodb}; env LOCAL_DYNAMODB_PORT)
  --ses-port <n>                SES endpoint and mail page (default ${DEFAULT_PORTS.ses}; env LOCAL_SES_PORT)
  --stepfunctions-port <n>      Step Functions endpoint (default ${DEFAULT_PORTS.stepfunctions}; env LOCAL_STEPFUNCTIONS_PORT)
  --console-port <n>            the partner console (default ${DEFAULT_PORTS.console}; env LOCAL_CONSOLE_PORT)
  --identity-port <n>           the local OpenID provider (default ${DEFAULT_PORTS.identity}; env LOCAL_IDENTITY_PORT)
  --trusted-console <url>       let a console deployed elsewhere (LocalStack's ConsoleUrl output) sign in with the
                                local OpenID provider; repeatable (env LOCAL_TRUSTED_CONSOLES, comma-separated)
  --events-port <n>             EventBridge/SQS endpoint for webhooks (default: a free port; env LOCAL_EVENTS_PORT)
  --console-dir <dir>           serve this console, built already, instead of building it at start (vite's output;
                                env LOCAL_CONSOLE_DIR)
  --data <dir>                  keep DynamoDB data on disk in <dir> (default: in memory; env LOCAL_DATA_DIR)
  --acceptance-window-days <n>  days before an unaccepted transfer expires (default 30; env ACCEPTANCE_WINDOW_DAYS)
  --reconcile-every <seconds>   run the reconciler this often, 0 never (default 60; env LOCAL_RECONCILE_EVERY_SECONDS)
  --move-faults <rules>         make line-item moves fail on purpose, e.g. 'transient:0.3;permanent:<subscriptionId>'
                                (rules: transient|permanent:<rate>|<id,...>, transient-times:<id>=<n>, seed:<n>;
                                default none; env SANDBOX_MOVE_FAULTS)
  --emulator-faults <rules>     throttle or drop answers of the emulators, e.g. 'dynamodb:throttle=0.02,drop=0.01;
                                ses:throttle=0.05;stepfunctions:drop=0.01;seed:7' (default none; env
                                LOCAL_EMULATOR_FAULTS)
  --crash-lease-seconds <n>     what a killed process leaves behind (a write's in-progress marker, an email's
                                claim) blocks retries for <n> s (default ${DEFAULT_IN_PROGRESS_TIMEOUT_SECONDS} and ${DEFAULT_STALE_CLAIM_SECONDS} s, as on AWS; at most
                                ${DEFAULT_IN_PROGRESS_TIMEOUT_SECONDS}; env LOCAL_CRASH_LEASE_SECONDS)
  --help                        show this help`;

export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): LocalCloudCliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      'api-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'ses-port': { type: 'string' },
      'stepfunctions-port': { type: 'string' },
      'console-port': { type: 'string' },
      'identity-port': { type: 'string' },
      'trusted-console': { type: 'string', multiple: true },
      'events-port': { type: 'string' },
      data: { type: 'string' },
      'console-dir': { type: 'string' },
      'acceptance-window-days': { type: 'string' },
      'reconcile-every': { type: 'string' },
      'move-faults': { type: 'string' },
      'emulator-faults': { type: 'string' },
      'crash-lease-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const parsed = OPTIONS_SCHEMA.safeParse({
    host: values.host ?? env.LOCAL_HOST,
    apiPort: values['api-port'] ?? env.LOCAL_API_PORT,
    dynamodbPort: values['dynamodb-port'] ?? env.LOCAL_DYNAMODB_PORT,
    sesPort: values['ses-port'] ?? env.LOCAL_SES_PORT,
    stepfunctionsPort: values['stepfunctions-port'] ?? env.LOCAL_STEPFUNCTIONS_PORT,
    consolePort: values['console-port'] ?? env.LOCAL_CONSOLE_PORT,
    identityPort: values['identity-port'] ?? env.LOCAL_IDENTITY_PORT,
    trustedConsoleOrigins:
      values['trusted-console'] ??
      env.LOCAL_TRUSTED_CONSOLES?.split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    eventsPort: values['events-port'] ?? env.LOCAL_EVENTS_PORT,
    outboxRelayIntervalMs: env.LOCAL_OUTBOX_RELAY_INTERVAL_MS,
    data: values.data ?? env.LOCAL_DATA_DIR,
    consoleDir: values['console-dir'] ?? env.LOCAL_CONSOLE_DIR,
    acceptanceWindowDays: values['acceptance-window-days'] ?? env.ACCEPTANCE_WINDOW_DAYS,
    reconcileEverySeconds: values['reconcile-every'] ?? env.LOCAL_RECONCILE_EVERY_SECONDS,
    moveFaults: values['move-faults'] ?? env.SANDBOX_MOVE_FAULTS,
    emulatorFaults: values['emulator-faults'] ?? env.LOCAL_EMULATOR_FAULTS,
    crashLeaseSeconds: values['crash-lease-seconds'] ?? env.LOCAL_CRASH_LEASE_SECONDS,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid options: ${problems.join('; ')}\n\n${USAGE}`);
  }
  return parsed.data;
}
