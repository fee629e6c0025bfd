// Every environment variable the functions read is declared and validated here, once.
import * as z from '#shared/zod.ts';

const CONFIG_SCHEMA = {
  TABLE_NAME: z.string().check(z.minLength(3)),
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  SES_SENDER_ADDRESS: z.email(),
  JWT_ISSUER: z.string().check(z.minLength(1)),
  JWT_AUDIENCE: z.string().check(z.minLength(1)),
  JWKS_URL: z.url(),
  /** Fractions are allowed so that tests and demos can watch a transfer expire. */
  ACCEPTANCE_WINDOW_DAYS: z._default(z.coerce.number().check(z.positive()), 30),
  /** Seals continuation tokens (AES-256-GCM, key derived with HKDF); at least 32 characters of secret. */
  CONTINUATION_TOKEN_SECRET: z.string().check(z.minLength(32)),
  /** The partner console's base URL: emails link to its page of the transfer. */
  CONSOLE_URL: z.url(),
  /** The one browser origin the API answers cross-origin requests from (the console's); unset: none. */
  CONSOLE_ORIGIN: z.optional(z.url()),
  /** Sandbox fault injection for line-item moves; only the local cloud ever sets it. */
  SANDBOX_MOVE_FAULTS: z.optional(z.string()),
  DEPLOYMENT_STAGE: z._default(z.enum(['local', 'localstack', 'aws']), 'aws'),
  /** The SQS queue the webhook deliverer consumes (delivery messages are sent to it too). */
  WEBHOOK_QUEUE_URL: z.url(),
  /** The custom EventBridge bus transfer events are published on. */
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  /** Pauses between webhook attempts, comma-separated seconds; only tests shorten the documented default. */
  WEBHOOK_RETRY_DELAYS_SECONDS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d+(,\d+)*$/)),
      z.transform((text: string) => text.split(',').map(Number)),
    ),
  ),
  /**
   * What a process killed mid-way leaves behind blocks its retries this long: the in-progress marker of a write
   * (default 60 s) and the claim of an email being sent (default 120 s). AWS runs the defaults; only the local cloud
   * sets these (`--crash-lease-seconds`), so that a campaign of kill -9 need not wait minutes after each. Never
   * longer than the defaults: the ASL's NotificationInFlight retries are sized to outlast a 120 s claim.
   */
  IDEMPOTENCY_IN_PROGRESS_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(60))),
  EMAIL_STALE_CLAIM_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(120))),
} as const;

type ConfigSchema = typeof CONFIG_SCHEMA;
export type ConfigName = keyof ConfigSchema;
export type Config<K extends ConfigName> = { [P in K]: z.output<ConfigSchema[P]> };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates only the variables a function needs, so a missing one fails at cold start with its name
 * instead of deep inside a request.
 */
export function loadConfig<K extends ConfigName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Config<K> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const parsed = CONFIG_SCHEMA[name].safeParse(env[name] === '' ? undefined : env[name]);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const issue = parsed.error.issues[0];
      problems.push(
        env[name] === undefined
          ? `${name} is not set`
          : `${name} is invalid (${issue?.message ?? 'bad value'})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Configuration error: ${problems.join('; ')}`);
  }
  return values as Config<K>;
}
