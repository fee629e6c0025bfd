// The operations part of the stack: the reconciler function on a schedule rule (a rule, so it fires on LocalStack
// too) with a dead-letter queue, exactly the Step Functions rights it needs, and the alarms, each of which the
// runbook explains.
import { readFile } from 'node:fs/promises';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_INSPECTION_ACTIONS, RECONCILER_ENTRY } from '#aws/transfer-reconciler.ts';
import { RECONCILER_METRICS } from '#operations/reconciler-metrics.ts';
import {
  arnOf,
  propertiesOf,
  resourcesOfType,
  type SynthesisedStack,
  synthesiseStack,
} from './synth-stack.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

let synth: SynthesisedStack;

beforeAll(async () => {
  synth = await synthesiseStack({ senderAddress: 'transfers@contoso.example' });
}, 60_000);

describe('operations stack', () => {
  it('runs the reconciler every 5 minutes from a schedule rule, with retries and a dead-letter queue', () => {
    const { resources, stack } = synth;
    const reconcilerId = synth.functionLogicalId(stack.reconciler.function);
    expect(propertiesOf(resources[reconcilerId]).Description).toMatch(/repairs/);
    expect(stack.reconciler.function.function.node.metadata).toBeDefined();
    const rules = resourcesOfType(resources, 'AWS::Events::Rule').map(([, rule]) => propertiesOf(rule));
    const schedule = rules.find((rule) => rule.ScheduleExpression === 'rate(5 minutes)');
    expect(schedule?.State).toBe('ENABLED');
    expect(schedule?.Targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(reconcilerId),
        DeadLetterConfig: { Arn: arnOf(synth.logicalId(stack.reconciler.deadLetterQueue)) },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
      }),
    ]);
    expect(RECONCILER_ENTRY).toBe('functions/operations/reconcile-handler.ts');
  });

  it('lets the reconciler describe and stop only this state machine’s executions', () => {
    const { resources, stack } = synth;
    const roleId = synth.logicalId(stack.reconciler.function.role);
    const statements = resourcesOfType(resources, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(propertiesOf(policy).Roles).includes(roleId))
      .flatMap(([, policy]) => (propertiesOf(policy).PolicyDocument as { Statement: Statement[] }).Statement);
    const inspect = statements.find((statement) => statement.Action.includes('states:DescribeExecution'));
    expect(inspect?.Action).toEqual([...EXECUTION_INSPECTION_ACTIONS]);
    const resource = JSON.stringify(inspect?.Resource);
    expect(resource).toContain(':execution:');
    expect(resource).toContain(synth.logicalId(stack.workflow.stateMachine));
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions).toEqual(
      expect.arrayContaining(['states:StartExecution', 'states:SendTaskFailure', 'dynamodb:UpdateItem']),
    );
    expect(actions.some((action) => action.endsWith('*'))).toBe(false);
  });

  it('alarms on repairs, unrepairable transfers, reconciler errors, its dead-letter queue and throttles', () => {
    const alarms = resourcesOfType(synth.resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) =>
      propertiesOf(alarm),
    );
    const metricNames = alarms.flatMap((alarm) =>
      alarm.MetricName
        ? [alarm.MetricName]
        : ((alarm.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[]) ?? []).flatMap(
            (metric) => metric.MetricStat?.Metric.MetricName ?? [],
          ),
    );
    expect(metricNames).toEqual(
      expect.arrayContaining([
        RECONCILER_METRICS.transfersRepaired,
        RECONCILER_METRICS.transfersUnrepairable,
        'Errors',
        'ApproximateNumberOfMessagesVisible',
        'Throttles',
        'ReadThrottleEvents',
        'WriteThrottleEvents',
        'ExecutionThrottled',
        'ExecutionsFailed',
      ]),
    );
  });

  it('has a runbook section for every alarm of the stack, naming a command that fixes it', async () => {
    const runbook = await readFile(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    const alarmIds = synth.stack.node
      .findAll()
      .filter((construct) => construct instanceof cloudwatch.Alarm)
      .map((alarm) => alarm.node.id);
    expect(alarmIds.length).toBeGreaterThanOrEqual(10);
    for (const id of alarmIds) {
      const section = runbook.split(/\n(?=### )/).find((part) => part.startsWith(`### ${id}`));
      expect(section, `docs/runbook.md has no "### ${id}" section`).toBeDefined();
      expect(section, `the ${id} section names a command`).toMatch(
        /`(npx )?(partner-transfers|npm run|aws) [^`]+`/,
      );
    }
  });
});
