// Least privilege, derived from the route and task tables' `access` flags (not from the stack's own code): each
// function's role allows exactly the actions its flags name, on the named resources, and a wildcard only where AWS
// offers nothing narrower (X-Ray). IAM is not enforced on LocalStack, so these tests are the only guard.
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#api/routes.ts';
import type { TransferFunction } from '#aws/transfer-function.ts';
import { type FunctionAccess, iamActionsOf } from '#shared/function-access.ts';
import { DELIVERER_ACCESS, RELAY_ACCESS } from '#webhooks/entries.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import {
  arnOf,
  propertiesOf,
  refTo,
  resourcesOfType,
  type SynthesisedStack,
  synthesiseStack,
} from './synth-stack.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

interface Access extends FunctionAccess {
  /** The deliverer: Lambda polls the webhook queue with its role. */
  consumeWebhookQueue?: boolean;
  /** The outbox relay: Lambda reads the table's stream with its role. */
  consumeTableStream?: boolean;
}

const SENDER = 'transfers@contoso.example';
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/** AWS offers no resource-level permission for these: Resource "*" is the only option. */
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];

/** What Lambda needs to poll an SQS queue (AWSLambdaSQSQueueExecutionRole), besides what the code calls. */
const QUEUE_POLL = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
/** What the DynamoDB stream event source needs (CDK's grant). */
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
/** AWS offers no resource-level permission for listing streams: Resource "*" is the only option. */
const STREAM_LIST = 'dynamodb:ListStreams';

/** What a function with these flags needs, and not one action more. */
function expectedActions(access: Access): string[] {
  return [
    ...LOG_ACTIONS,
    ...XRAY_ACTIONS,
    ...iamActionsOf(access),
    ...(access.consumeWebhookQueue ? QUEUE_POLL : []),
    ...(access.consumeTableStream ? [...STREAM_READ, STREAM_LIST] : []),
  ].sort();
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every problem of one statement list against the expectations; empty when it is least privilege. */
function privilegeProblems(
  statements: Statement[],
  access: Access,
  ids: { logGroup: string; table: string; stateMachine: string; queue: string; bus: string },
): string[] {
  const problems: string[] = [];
  const actions = statements.flatMap((statement) => asList(statement.Action)).sort();
  if (JSON.stringify(actions) !== JSON.stringify(expectedActions(access))) {
    problems.push(`actions ${actions.join(', ')} instead of ${expectedActions(access).join(', ')}`);
  }
  const tableArn = arnOf(ids.table);
  const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
  for (const statement of statements) {
    const statementActions = asList(statement.Action);
    const resources = asList(statement.Resource);
    const text = JSON.stringify(statement);
    if (statement.Effect !== 'Allow') problems.push(`unexpected effect: ${text}`);
    if (statementActions.some((action) => action.includes('*'))) problems.push(`wildcard action: ${text}`);
    const onlyXray =
      statementActions.every((action) => XRAY_ACTIONS.includes(action)) ||
      (access.consumeTableStream === true && statementActions.every((action) => action === STREAM_LIST));
    const wildcardResource = resources.some((resource) => JSON.stringify(resource).includes('*'));
    if (wildcardResource && !onlyXray) problems.push(`wildcard resource: ${text}`);
    const family = new Set(statementActions.map((action) => action.split(':')[0]));
    if (family.size !== 1) problems.push(`one service per statement: ${text}`);
    const service = [...family][0];
    const same = (expected: unknown[]) => JSON.stringify(resources) === JSON.stringify(expected);
    if (service === 'logs' && !same([arnOf(ids.logGroup)]))
      problems.push(`logs beyond its log group: ${text}`);
    if (service === 'dynamodb') {
      const reads = statementActions.every((action) => TABLE_READ.includes(action));
      const streamReads = statementActions.every((action) => STREAM_READ.includes(action));
      const indexes = ['GSI1', 'GSI2', 'GSI3', 'GSI4', 'GSI5'].map(indexArn);
      const expected = reads
        ? [tableArn, ...indexes]
        : streamReads
          ? [{ 'Fn::GetAtt': [ids.table, 'StreamArn'] }]
          : onlyXray
            ? ['*']
            : [tableArn];
      if (!same(expected)) problems.push(`dynamodb resources: ${text}`);
    }
    if (service === 'states' && !same([refTo(ids.stateMachine)])) problems.push(`states resources: ${text}`);
    if (service === 'ses') {
      if (!text.includes(`:identity/${SENDER}`)) problems.push(`ses beyond the sender identity: ${text}`);
      if (
        JSON.stringify(statement.Condition) !==
        JSON.stringify({ StringEquals: { 'ses:FromAddress': SENDER } })
      ) {
        problems.push(`ses without the sender condition: ${text}`);
      }
    }
    if (service === 'sqs' && !same([arnOf(ids.queue)]))
      problems.push(`sqs beyond the webhook queue: ${text}`);
    if (service === 'events' && !same([arnOf(ids.bus)])) problems.push(`events beyond the bus: ${text}`);
    if (!['logs', 'xray', 'dynamodb', 'states', 'ses', 'sqs', 'events'].includes(service ?? '')) {
      problems.push(`unexpected service: ${text}`);
    }
  }
  return problems;
}

describe('least privilege', () => {
  let synth: SynthesisedStack;
  let ids: { table: string; stateMachine: string; queue: string; bus: string };

  beforeAll(async () => {
    synth = await synthesiseStack({ senderAddress: SENDER });
    ids = {
      table: synth.logicalId(synth.stack.table.table),
      stateMachine: synth.logicalId(synth.stack.workflow.stateMachine),
      queue: synth.logicalId(synth.stack.webhooks.queue),
      bus: synth.logicalId(synth.stack.webhooks.bus),
    };
  });

  /** The statements of every policy attached to the function's role, and the role itself. */
  function grantsOf(fn: TransferFunction) {
    const roleId = synth.logicalId(fn.role);
    const role = synth.resources[roleId];
    const policies = resourcesOfType(synth.resources, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties?.Roles).includes(JSON.stringify(refTo(roleId))),
    );
    const statements = policies.flatMap(
      ([, policy]) => (propertiesOf(policy).PolicyDocument as { Statement: Statement[] }).Statement,
    );
    return { role, policies, statements, logGroup: synth.logicalId(fn.logGroup) };
  }

  function expectLeastPrivilege(name: string, fn: TransferFunction, access: Access) {
    const { role, policies, statements, logGroup } = grantsOf(fn);
    expect(role?.Properties?.ManagedPolicyArns, `${name}: managed policies`).toBeUndefined();
    expect(role?.Properties?.Policies, `${name}: inline role policies`).toBeUndefined();
    expect(policies, `${name}: one policy`).toHaveLength(1);
    expect(privilegeProblems(statements, access, { ...ids, logGroup }), name).toEqual([]);
  }

  it('gives every route function exactly what its access flags allow', () => {
    for (const route of ROUTES) {
      expectLeastPrivilege(route.id, synth.stack.routeFunctions.get(route.id)!, route.access);
    }
  });

  it('gives every workflow task function exactly what its access flags allow', () => {
    for (const task of WORKFLOW_TASKS) {
      expectLeastPrivilege(task.id, synth.stack.taskFunctions.get(task.id)!, task.access);
    }
  });

  it('lets the webhook deliverer use its table, its queue and the sender, nothing else', () => {
    expectLeastPrivilege('deliverer', synth.stack.delivererFunction, {
      ...DELIVERER_ACCESS,
      consumeWebhookQueue: true,
    });
  });

  it('lets the outbox relay use its table, read its stream and publish to the bus, nothing else', () => {
    expectLeastPrivilege('relay', synth.stack.eventRelay.function, {
      ...RELAY_ACCESS,
      consumeTableStream: true,
    });
  });

  it('gives the authorizer nothing but its logs and traces', () => {
    expectLeastPrivilege('authorizer', synth.stack.authorizerFunction, { table: [] });
  });

  it('catches a wildcard, a missing flag and a foreign resource (the check itself can fail)', () => {
    const { statements, logGroup } = grantsOf(synth.stack.routeFunctions.get('getTransfer')!);
    const context = { ...ids, logGroup };
    const access = ROUTES.find((route) => route.id === 'getTransfer')!.access;
    expect(privilegeProblems(statements, access, context)).toEqual([]);
    const wildcard = [...statements, { Effect: 'Allow', Action: 'dynamodb:*', Resource: arnOf(ids.table) }];
    expect(privilegeProblems(wildcard, access, context).join()).toMatch(/wildcard action/);
    const withPut: Access = { table: [...access.table, 'PutItem'] };
    expect(privilegeProblems(statements, withPut, context).join()).toMatch(/actions/);
    const anyTable = statements.map((statement) =>
      JSON.stringify(statement.Action).includes('dynamodb') ? { ...statement, Resource: '*' } : statement,
    );
    expect(privilegeProblems(anyTable, access, context).join()).toMatch(/wildcard resource/);
  });

  it('lets the state machine invoke exactly its task functions and manage only its own child executions', () => {
    const roleId = synth.logicalId(synth.stack.workflow.stateMachine.role);
    const statements = resourcesOfType(synth.resources, 'AWS::IAM::Policy')
      .filter(([, policy]) =>
        JSON.stringify(policy.Properties?.Roles).includes(JSON.stringify(refTo(roleId))),
      )
      .flatMap(([, policy]) => (propertiesOf(policy).PolicyDocument as { Statement: Statement[] }).Statement);
    const invoke = statements.filter((statement) =>
      asList(statement.Action).includes('lambda:InvokeFunction'),
    );
    expect(invoke).toHaveLength(1);
    expect(asList(invoke[0]?.Action)).toEqual(['lambda:InvokeFunction']);
    const taskArns = WORKFLOW_TASKS.map((task) =>
      arnOf(synth.functionLogicalId(synth.stack.taskFunctions.get(task.id)!)),
    );
    expect(asList(invoke[0]?.Resource)).toEqual(taskArns);
    // The DISTRIBUTED Map: start executions of this state machine, describe and stop its executions only.
    const name = synth.stack.workflow.stateMachineName;
    expect(
      synth.resources[synth.logicalId(synth.stack.workflow.stateMachine)]?.Properties?.StateMachineName,
    ).toBe(name);
    const states = statements.filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('states:')),
    );
    const own = (resource: string) =>
      JSON.stringify({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':states:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            `:${resource}`,
          ],
        ],
      });
    expect(
      states.map((statement) => ({
        actions: asList(statement.Action).sort(),
        resources: asList(statement.Resource).map((resource) => JSON.stringify(resource)),
      })),
    ).toEqual([
      { actions: ['states:StartExecution'], resources: [own(`stateMachine:${name}`)] },
      {
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [own(`execution:${name}:*`), own(`execution:${name}/*`)],
      },
    ]);
    // The rest is what CDK adds for execution logs and X-Ray, which AWS only grants on "*".
    const others = statements.filter((statement) => statement !== invoke[0] && !states.includes(statement));
    for (const statement of others) {
      for (const action of asList(statement.Action)) {
        expect(action).toMatch(
          /^(logs:(Create|Get|Update|Delete|List)LogDeliver(y|ies)|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets))$/,
        );
      }
    }
  });

  it('lets API Gateway invoke each route function only for its own method and path', () => {
    const permissions = resourcesOfType(synth.resources, 'AWS::Lambda::Permission').map(
      ([, p]) => p.Properties,
    );
    for (const route of ROUTES) {
      const functionArn = arnOf(synth.functionLogicalId(synth.stack.routeFunctions.get(route.id)!));
      const own = permissions.filter((p) => JSON.stringify(p?.FunctionName) === JSON.stringify(functionArn));
      expect(own, route.id).toHaveLength(1);
      const sourceArn = JSON.stringify(own[0]?.SourceArn);
      const pathPattern = route.path.replace(/\{[^}]+\}/g, '*');
      expect(sourceArn, route.id).toContain(`/${route.method}${pathPattern}"`);
      expect(own[0]?.Principal).toBe('apigateway.amazonaws.com');
    }
  });
});
