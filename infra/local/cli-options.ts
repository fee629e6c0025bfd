// Command-line and environment options of `npm start`, validated once.
import { parseArgs } from 'node:util';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const DEFAULT_PORTS = { api: 4710, dynamodb: 4711, ses: 4712, stepfunctions: 4713 } as const;

const OPTIONS_SCHEMA = z.object({
  host: z.string().default('127.0.0.1'),
  apiPort: port.default(DEFAULT_PORTS.api),
  dynamodbPort: port.default(DEFAULT_PORTS.dynamodb),
  sesPort: port.default(DEFAULT_PORTS.ses),
  stepfunctionsPort: port.default(DEFAULT_PORTS.stepfunctions),
  data: z.string().min(1).optional(),
  acceptanceWindowDays: z.coerce.number().positive().default(30),
  /** The reconciler runs this often (0: never), like its schedule on AWS. */
  reconcileEverySeconds: z.coerce.number().min(0).default(60),
});

export type LocalCloudCliOptions = z.output<typeof OPTIONS_SCHEMA>;

export const USAGE = `Usage: npm start -- [options]
  --host <addr>                 bind address (default 127.0.0.1; env LOCAL_HOST)
  --api-port <n>                API Gateway stand-in (default ${DEFAULT_PORTS.api}; env LOCAL_API_PORT)
  --dynamodb-port <n>           DynamoDB endpoint (default ${DEFAULT_PORTS.dynamodb}; env LOCAL_DYNAMODB_PORT)
  --ses-port <n>                SES endpoint and mail page (default ${DEFAULT_PORTS.ses}; env LOCAL_SES_PORT)
  --stepfunctions-port <n>      Step Functions endpoint (default ${DEFAULT_PORTS.stepfunctions}; env LOCAL_STEPFUNCTIONS_PORT)
  --data <dir>                  keep DynamoDB data on disk in <dir> (default: in memory; env LOCAL_DATA_DIR)
  --acceptance-window-days <n>  days before an unaccepted transfer expires (default 30; env ACCEPTANCE_WINDOW_DAYS)
  --reconcile-every <seconds>   run the reconciler this often, 0 never (default 60; env LOCAL_RECONCILE_EVERY_SECONDS)
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
      data: { type: 'string' },
      'acceptance-window-days': { type: 'string' },
      'reconcile-every': { type: 'string' },
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
    data: values.data ?? env.LOCAL_DATA_DIR,
    acceptanceWindowDays: values['acceptance-window-days'] ?? env.ACCEPTANCE_WINDOW_DAYS,
    reconcileEverySeconds: values['reconcile-every'] ?? env.LOCAL_RECONCILE_EVERY_SECONDS,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid options: ${problems.join('; ')}\n\n${USAGE}`);
  }
  return parsed.data;
}
