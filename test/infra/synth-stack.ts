// Synthesises the CDK app in process for template tests: bundling skipped (the template is the same; one test
// bundles for real), no environment leaking in, a fixed local identity instead of the key in .local-cloud/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { createTransfersApp, type TransfersApp } from '#aws/create-app.ts';
import type { TransferFunction } from '#aws/transfer-function.ts';

export const TEST_LOCAL_IDENTITY = {
  issuer: 'https://identity.test.local',
  audience: 'partner-transfers-test',
  jwks: {
    keys: [{ kty: 'RSA', kid: 'test-key', n: 'AQAB-test_modulus', e: 'AQAB', alg: 'RS256', use: 'sig' }],
  },
};

/** A stand-in for the built console: the template does not depend on what the files say. */
export const TEST_CONSOLE_ASSET_DIR = 'test/infra/fixtures/console';

export interface SynthesisedStack extends TransfersApp {
  template: Template;
  resources: Record<string, TemplateResource>;
  logicalId(construct: Construct): string;
  functionLogicalId(fn: TransferFunction): string;
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SynthesisOptions {
  /**
   * CDK's own CloudFormation schema validation: thorough but slow to load (seconds), so only the file that checks
   * the validation report turns it on.
   */
  builtinCloudFormationValidation?: boolean;
  outdir?: string;
  /** The CLI's default environment (CDK_DEFAULT_REGION, CDK_DEFAULT_ACCOUNT); none: environment-agnostic. */
  env?: NodeJS.ProcessEnv;
}

export async function synthesiseStack(
  context: Record<string, unknown> = {},
  options: SynthesisOptions = {},
): Promise<SynthesisedStack> {
  // Without an outdir of the caller's, the assembly goes to a temporary folder removed once the template is read.
  const outdir = options.outdir ?? (await mkdtemp(join(tmpdir(), 'partner-transfers-synth-')));
  let transfersApp: TransfersApp;
  let template: Template;
  try {
    transfersApp = await createTransfersApp({
      context: { 'aws:cdk:bundling-stacks': [], consoleAssetDir: TEST_CONSOLE_ASSET_DIR, ...context },
      env: options.env ?? {},
      localIdentity: TEST_LOCAL_IDENTITY,
      builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? false,
      outdir,
    });
    // Synthesises the app: runs the cdk-nag plugin and fails on a dependency cycle.
    template = Template.fromStack(transfersApp.stack);
  } finally {
    if (!options.outdir) await rm(outdir, { recursive: true, force: true });
  }
  const { stack } = transfersApp;
  const resources = (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources;
  const logicalId = (construct: Construct) => {
    const element = (construct.node.defaultChild ?? construct) as CfnElement;
    return stack.resolve(element.logicalId) as string;
  };
  return {
    ...transfersApp,
    template,
    resources,
    logicalId,
    functionLogicalId: (fn) => logicalId(fn.function),
  };
}

/** A resource's properties, `{}` when it has none (or is missing). */
export const propertiesOf = (resource: TemplateResource | undefined): Record<string, unknown> =>
  resource?.Properties ?? {};

export function resourcesOfType(resources: Record<string, TemplateResource>, type: string) {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` as the template writes a reference to a resource's ARN. */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const refTo = (logicalId: string) => ({ Ref: logicalId });
