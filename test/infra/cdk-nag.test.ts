// cdk-nag's AwsSolutions pack passes on both stages (as a synth plugin and run directly), every acknowledged
// finding carries a reason, and no acknowledgement is stale (each one still silences a real finding).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SynthesisedStack, synthesiseStack } from './synth-stack.ts';

/** The pack without acknowledgements: what the stack would be blamed for if nobody had explained anything. */
class UnacknowledgedAwsSolutionsChecks extends AwsSolutionsChecks {}
Object.defineProperty(UnacknowledgedAwsSolutionsChecks.prototype, 'isAcknowledged', { value: () => false });

interface Acknowledgement {
  path: string;
  ruleId: string;
  reason: string;
}

function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          ruleId: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

function findings(app: App, pack: AwsSolutionsChecks) {
  const report = pack.validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      ruleId: violation.ruleName,
      severity: violation.severity,
      path: resource.constructPath ?? '',
    })),
  );
}

// The CDK CLI gives the app a default region (and account, with credentials): findings then name them, and the
// acknowledgements must follow.
const CLI_ENVIRONMENT = { CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '123456789012' };

describe.each([
  ['aws', 'environment-agnostic', {}],
  ['localstack', 'environment-agnostic', {}],
  ['aws', 'the CLI default environment', CLI_ENVIRONMENT],
] as const)('cdk-nag AwsSolutions on the %s stage, %s', (stage, _environment, env) => {
  let synth: SynthesisedStack;
  let outdir: string;
  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), `partner-transfers-nag-${stage}-`));
    // CDK's own CloudFormation schema validation takes 10+ s to load: `npm run synth` runs it, tests do not.
    synth = await synthesiseStack({ deploymentStage: stage }, { outdir, env });
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('reports no unacknowledged error or warning', () => {
    expect(findings(synth.app, new AwsSolutionsChecks())).toEqual([]);
  });

  it('leaves no CDK warning or error on any construct', () => {
    const annotations = [
      ...Annotations.fromStack(synth.stack).findWarning('*', Match.anyValue()),
      ...Annotations.fromStack(synth.stack).findError('*', Match.anyValue()),
    ].map((annotation) => `${annotation.id}: ${String(annotation.entry.data)}`);
    expect(annotations).toEqual([]);
  });

  it('wrote a synth validation report without violations', async () => {
    const report = JSON.parse(await readFile(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName?: string; violations?: unknown[] }[];
    };
    for (const plugin of report.pluginReports) {
      expect(plugin.violations ?? [], plugin.pluginName).toEqual([]);
    }
  });

  it('explains every acknowledgement, and each one still silences a real finding', () => {
    const acknowledgements = acknowledgementsIn(synth.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    const raw = findings(synth.app, new UnacknowledgedAwsSolutionsChecks());
    for (const acknowledgement of acknowledgements) {
      expect(
        acknowledgement.reason.length,
        `${acknowledgement.ruleId} at ${acknowledgement.path}`,
      ).toBeGreaterThan(40);
      const silenced = raw.filter(
        (finding) =>
          finding.ruleId === acknowledgement.ruleId &&
          (finding.path === acknowledgement.path || finding.path.startsWith(`${acknowledgement.path}/`)),
      );
      expect(silenced.length, `stale: ${acknowledgement.ruleId} at ${acknowledgement.path}`).toBeGreaterThan(
        0,
      );
    }
  });
});
