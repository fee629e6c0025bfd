// Everything a deployment may vary, read once from CDK context (`-c name=value` or cdk.json) and validated, so a
// typo fails the synth with the setting's name instead of producing a subtly different stack.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { CONSOLE_CLIENT_ID } from '#local/identity.ts';

export const DEPLOYMENT_STAGES = ['aws', 'localstack'] as const;
export type DeploymentStage = (typeof DEPLOYMENT_STAGES)[number];

const RETENTION_DAYS = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days > 0 && days !== RetentionDays.INFINITE,
);

/** Context values from the command line are strings; cdk.json values keep their JSON type. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const CONTEXT_SCHEMA = z.object({
  deploymentStage: z.enum(DEPLOYMENT_STAGES).default('aws'),
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/)
    .default('PartnerTransfers'),
  /** The address every email is sent from; SES must have it verified (an EmailIdentity on AWS). */
  senderAddress: z.email().optional(),
  /** How many line items move at once (the Map state's MaxConcurrency). */
  moveConcurrency: count(1, 40).default(10),
  acceptanceWindowDays: count(1, 365).default(30),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => RETENTION_DAYS.includes(days), {
      message: `must be one of CloudWatch's retention periods (${RETENTION_DAYS.join(', ')})`,
    })
    .default(30),
  /** Defaults to true on AWS, false on LocalStack (where destroy-and-redeploy is the normal cycle). */
  tableDeletionProtection: flag.optional(),
  apiStageName: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/)
    .default('prod'),
  throttleRateLimit: z.coerce.number().positive().default(50),
  throttleBurstLimit: count(1, 5000).default(100),
  authorizerCacheSeconds: count(0, 3600).default(300),
  /** The API's public base URL as emails and the API description show it (a custom domain, say). */
  publicApiUrl: z.url().optional(),
  /** LocalStack's edge URL as seen from the Lambda containers and from the host alike. */
  localstackEndpoint: z.url().default('http://localhost.localstack.cloud:4566'),
  /** AWS only: defaults for the JwtIssuer / JwtAudience / JwksUrl stack parameters. */
  jwtIssuer: z.string().min(1).optional(),
  jwtAudience: z.string().min(1).optional(),
  jwksUrl: z.url().optional(),
  /** A console built beforehand to upload as is; unset, every synth builds console/ into console/dist first. */
  consoleAssetDir: z.string().min(1).optional(),
  /** The console's OAuth client id at the identity provider (a public client: Authorization Code + PKCE). */
  consoleClientId: z.string().min(1).default(CONSOLE_CLIENT_ID),
  /**
   * Scopes the console asks for; the access token must carry the audience, tid and roles the authorizer reads.
   * Default `openid profile`; on LocalStack `openid profile transfers` (npm start's provider issues the API's
   * audience for that scope).
   */
  consoleScope: z.string().min(1).optional(),
  /** Where the identity provider's discovery document is, when not under the issuer (LocalStack: npm start's). */
  consoleIdentityMetadataUrl: z.url().optional(),
  /** An SNS topic that receives the alarms (none: the alarms only show in CloudWatch). */
  alarmTopicArn: z.string().startsWith('arn:').optional(),
  /** false on accounts whose API Gateway CloudWatch role is managed elsewhere (it is one per region). */
  apiGatewayCloudWatchRole: flag.optional(),
});

export type StackContext = z.output<typeof CONTEXT_SCHEMA>;

export interface StackSettings extends Omit<StackContext, 'tableDeletionProtection' | 'senderAddress'> {
  senderAddress: string;
  tableDeletionProtection: boolean;
  apiGatewayCloudWatchRole: boolean;
}

export const CONTEXT_KEYS = Object.keys(CONTEXT_SCHEMA.shape) as (keyof StackContext)[];

const DEFAULT_SENDER: Record<DeploymentStage, string> = {
  aws: 'transfers@example.com',
  localstack: 'transfers@partner-transfers.local',
};

/**
 * Validates the given context values (undefined ones are left to their defaults). Throws one error naming every
 * bad setting.
 */
export function resolveStackSettings(context: Record<string, unknown>): StackSettings {
  const present = Object.fromEntries(
    CONTEXT_KEYS.filter((key) => context[key] !== undefined).map((key) => [key, context[key]]),
  );
  const parsed = CONTEXT_SCHEMA.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  const settings = parsed.data;
  const onAws = settings.deploymentStage === 'aws';
  return {
    ...settings,
    senderAddress: settings.senderAddress ?? DEFAULT_SENDER[settings.deploymentStage],
    tableDeletionProtection: settings.tableDeletionProtection ?? onAws,
    apiGatewayCloudWatchRole: settings.apiGatewayCloudWatchRole ?? onAws,
  };
}
