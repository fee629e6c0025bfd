// Builds the CDK app: settings from context, the one stack, and the cdk-nag AwsSolutions checks that run at every
// synth (a finding without an acknowledgement fails the synth). app.ts runs it for the CLI; tests call it directly.
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildConsole, CONSOLE_DIST } from '#console/build.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadLocalIdentity } from '#local/identity.ts';
import { signingKeyFile } from '#local/paths.ts';
import { CONTEXT_KEYS, resolveStackSettings, type StackSettings } from './stack-settings.ts';
import { type LocalIdentitySettings, TransfersStack } from './transfers-stack.ts';

export interface TransfersApp {
  app: App;
  stack: TransfersStack;
  settings: StackSettings;
}

export interface CreateTransfersAppOptions extends AppProps {
  /** Falls back to DEPLOYMENT_STAGE when the context has no deploymentStage. */
  env?: NodeJS.ProcessEnv;
  /** LocalStack: the identity to trust (default: the local signing key that `npm run token` uses). */
  localIdentity?: LocalIdentitySettings;
}

async function defaultLocalIdentity(env: NodeJS.ProcessEnv): Promise<LocalIdentitySettings> {
  const identity = await loadLocalIdentity(signingKeyFile(env));
  return { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, jwks: identity.jwks };
}

export async function createTransfersApp(options: CreateTransfersAppOptions = {}): Promise<TransfersApp> {
  const { env = process.env, localIdentity, ...appProps } = options;
  const app = new App(appProps);
  const context = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)]));
  context.deploymentStage ??= env.DEPLOYMENT_STAGE || undefined;
  const settings = resolveStackSettings(context);
  // The console's files are an asset of the stack: built here, so a fresh clone's synth or deploy ships the
  // current console without a separate build step.
  const consoleAssetDir = settings.consoleAssetDir ?? (await buildConsole(CONSOLE_DIST));
  const stack = new TransfersStack(app, settings.stackName, {
    settings,
    consoleAssetDir,
    description: `Partner-to-partner transfers (${settings.deploymentStage})`,
    env: { account: env.CDK_DEFAULT_ACCOUNT, region: env.CDK_DEFAULT_REGION },
    ...(settings.deploymentStage === 'localstack'
      ? { localIdentity: localIdentity ?? (await defaultLocalIdentity(env)) }
      : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, settings };
}
