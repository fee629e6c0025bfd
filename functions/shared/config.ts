// Every environment variable the functions read is declared and validated here, once.
import * as z from '#shared/zod.ts';

/** One environment variable: its name and how to validate it (built only when a function reads it). */
export interface Variable<Name extends string = string, Schema extends z.ZodMiniType = z.ZodMiniType> {
  readonly name: Name;
  readonly schema: () => Schema;
}

// @__NO_SIDE_EFFECTS__
function variable<Name extends string, Schema extends z.ZodMiniType>(
  name: Name,
  schema: () => Schema,
): Variable<Name, Schema> {
  return { name, schema };
}

// Each variable is its own top-level constant so that a bundle carries only the validators its function reads.
export const TABLE_NAME = /* @__PURE__ */ variable('TABLE_NAME', () => z.string().check(z.minLength(3)));

export const STATE_MACHINE_ARN = /* @__PURE__ */ variable('STATE_MACHINE_ARN', () =>
  z.string().check(z.startsWith('arn:')),
);

export const SES_SENDER_ADDRESS = /* @__PURE__ */ variable('SES_SENDER_ADDRESS', () => z.email());

export const JWT_ISSUER = /* @__PURE__ */ variable('JWT_ISSUER', () => z.string().check(z.minLength(1)));

export const JWT_AUDIENCE = /* @__PURE__ */ variable('JWT_AUDIENCE', () => z.string().check(z.minLength(1)));

export const JWKS_URL = /* @__PURE__ */ variable('JWKS_URL', () => z.url());

/** Fractions are allowed so that tests and demos can watch a transfer expire. */
export const ACCEPTANCE_WINDOW_DAYS = /* @__PURE__ */ variable('ACCEPTANCE_WINDOW_DAYS', () =>
  z._default(z.coerce.number().check(z.positive()), 30),
);

/** Seals continuation tokens (AES-256-GCM, key derived with HKDF); at least 32 characters of secret. */
export const CONTINUATION_TOKEN_SECRET = /* @__PURE__ */ variable('CONTINUATION_TOKEN_SECRET', () =>
  z.string().check(z.minLength(32)),
);

/** The partner console's base URL: emails link to its page of the transfer. */
export const CONSOLE_URL = /* @__PURE__ */ variable('CONSOLE_URL', () => z.url());

/** The one browser origin the API answers cross-origin requests from (the console's); unset: none. */
export const CONSOLE_ORIGIN = /* @__PURE__ */ variable('CONSOLE_ORIGIN', () => z.optional(z.url()));

/** Sandbox fault injection for line-item moves; only the local cloud ever sets it. */
export const SANDBOX_MOVE_FAULTS = /* @__PURE__ */ variable('SANDBOX_MOVE_FAULTS', () =>
  z.optional(z.string()),
);

export const DEPLOYMENT_STAGE = /* @__PURE__ */ variable('DEPLOYMENT_STAGE', () =>
  z._default(z.enum(['local', 'localstack', 'aws']), 'aws'),
);

/** The SQS queue the webhook deliverer consumes (delivery messages are sent to it too). */
export const WEBHOOK_QUEUE_URL = /* @__PURE__ */ variable('WEBHOOK_QUEUE_URL', () => z.url());

/** The custom EventBridge bus transfer events are published on. */
export const EVENT_BUS_NAME = /* @__PURE__ */ variable('EVENT_BUS_NAME', () =>
  z.string().check(z.minLength(1)),
);

/** Pauses between webhook attempts, comma-separated seconds; only tests shorten the documented default. */
export const WEBHOOK_RETRY_DELAYS_SECONDS = /* @__PURE__ */ variable('WEBHOOK_RETRY_DELAYS_SECONDS', () =>
  z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d+(,\d+)*$/)),
      z.transform((text: string) => text.split(',').map(Number)),
    ),
  ),
);

/**
 * What a process killed mid-way leaves behind blocks its retries this long: the in-progress marker of a write
 * (default 60 s) and the claim of an email being sent (default 120 s). AWS runs the defaults; only the local cloud
 * sets these (`--crash-lease-seconds`), so that a campaign of kill -9 need not wait minutes after each. Never
 * longer than the defaults: the ASL's NotificationInFlight retries are sized to outlast a 120 s claim.
 */
export const IDEMPOTENCY_IN_PROGRESS_SECONDS = /* @__PURE__ */ variable(
  'IDEMPOTENCY_IN_PROGRESS_SECONDS',
  () => z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(60))),
);

export const EMAIL_STALE_CLAIM_SECONDS = /* @__PURE__ */ variable('EMAIL_STALE_CLAIM_SECONDS', () =>
  z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(120))),
);

/** Every variable, for the name type the CDK stack checks its environment against (types only: bundles drop it). */
const ALL_VARIABLES = [
  TABLE_NAME,
  STATE_MACHINE_ARN,
  SES_SENDER_ADDRESS,
  JWT_ISSUER,
  JWT_AUDIENCE,
  JWKS_URL,
  ACCEPTANCE_WINDOW_DAYS,
  CONTINUATION_TOKEN_SECRET,
  CONSOLE_URL,
  CONSOLE_ORIGIN,
  SANDBOX_MOVE_FAULTS,
  DEPLOYMENT_STAGE,
  WEBHOOK_QUEUE_URL,
  EVENT_BUS_NAME,
  WEBHOOK_RETRY_DELAYS_SECONDS,
  IDEMPOTENCY_IN_PROGRESS_SECONDS,
  EMAIL_STALE_CLAIM_SECONDS,
] as const;

export type ConfigName = (typeof ALL_VARIABLES)[number]['name'];
export type Config<V extends readonly Variable[]> = {
  [Each in V[number] as Each['name']]: z.output<ReturnType<Each['schema']>>;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates only the variables a function needs, so a missing one fails at cold start with its name
 * instead of deep inside a request.
 */
export function loadConfig<const V extends readonly Variable[]>(
  variables: V,
  env: NodeJS.ProcessEnv = process.env,
): Config<V> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const { name, schema } of variables) {
    // An empty value is no value: a template can only blank a variable out, not remove it.
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = schema().safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const issue = parsed.error.issues[0];
      problems.push(
        raw === undefined ? `${name} is not set` : `${name} is invalid (${issue?.message ?? 'bad value'})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Configuration error: ${problems.join('; ')}`);
  }
  return values as Config<V>;
}
