// Least privilege, proven by simulation (LocalStack does not enforce IAM): every AWS call that a function made while the
// integration, workflow and end-to-end suites ran (recorded by test/support/iam/aws-call-recorder.ts: action, resource
// ARN, condition keys such as ses:FromAddress) is evaluated with a real IAM policy evaluator (@cloud-copilot/iam-simulate)
// against the policies of that function's role in the synthesized template:
//   - every recorded call is allowed by its own function's role;
//   - a sample of calls (one per action and resource) is allowed from every other function's role exactly when that
//     function's access, as the route and task tables declare it, includes the action; denied otherwise;
//   - every action a role grants is used by at least one call of that function: recorded, or made by the Lambda
//     platform with the function's role (PLATFORM_CALLS, EVENT_SOURCE_CALLS), or listed in NOT_EXERCISED with the
//     code path needing it.
// This file runs after every other test file (vitest.config.ts); alone it has nothing to evaluate and says so.
import {
  isWildcardOnlyAction,
  runSimulation,
  runUnsafeSimulation,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ROUTES } from '#api/routes.ts';
import type { TransferFunction } from '#aws/transfer-function.ts';
import { EXECUTION_INSPECTION_ACTIONS, RECONCILER_ACCESS } from '#aws/transfer-reconciler.ts';
import { QUEUE_EVENT_SOURCE_ACTIONS } from '#aws/webhook-delivery.ts';
import { LOCAL_WEBHOOK_QUEUE_NAME } from '#local/events/index.ts';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_EVENT_BUS_NAME,
  LOCAL_REGION,
  LOCAL_SENDER,
  LOCAL_STATE_MACHINE_NAME,
  LOCAL_TABLE_NAME,
} from '#local/local-cloud.ts';
import {
  AUTHORIZER_FUNCTION,
  DELIVERER_FUNCTION,
  RECONCILER_FUNCTION,
  RELAY_FUNCTION,
  type RunningFunction,
} from '#local/running-function.ts';
import { stateMachineArn } from '#local/stepfunctions/arns.ts';
import { type FunctionAccess, iamActionsOf } from '#shared/function-access.ts';
import { type RecordedAwsCall, readRecordedCalls } from '#test/support/iam/recorded-calls.ts';
import { DELIVERER_ACCESS, RELAY_ACCESS } from '#webhooks/entries.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import {
  propertiesOf,
  refTo,
  resourcesOfType,
  type SynthesisedStack,
  synthesiseStack,
} from './synth-stack.ts';

type PolicyDocument = { Version: string; Statement: Record<string, unknown>[] };

/**
 * Calls the Lambda platform makes with every function's role, never our code: the runtime writes the function's
 * logs, the X-Ray daemon its traces (tracing is active). Evaluated like recorded calls, for every function.
 */
const PLATFORM_CALLS: { action: string; reason: string; resource: (logGroup: string) => string }[] = [
  {
    action: 'logs:CreateLogStream',
    reason: 'the Lambda runtime opens a log stream per execution environment',
    resource: (logGroup) => `${logGroup}:log-stream:2026/12/02/[$LATEST]0123456789abcdef`,
  },
  {
    action: 'logs:PutLogEvents',
    reason: 'the Lambda runtime writes stdout (logs and EMF business metrics) to it',
    resource: (logGroup) => `${logGroup}:log-stream:2026/12/02/[$LATEST]0123456789abcdef`,
  },
  {
    action: 'xray:PutTraceSegments',
    reason: 'the X-Ray daemon sends the segments of active tracing',
    resource: () => '*',
  },
  {
    action: 'xray:PutTelemetryRecords',
    reason: 'the X-Ray daemon reports its own telemetry',
    resource: () => '*',
  },
];

const localArn = (service: string, resource: string) =>
  `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${resource}`;

const QUEUE_ARN = localArn('sqs', LOCAL_WEBHOOK_QUEUE_NAME);
/** The local cloud's table has no stream (its relay polls the outbox); this is the ARN AWS would give it. */
const STREAM_ARN = localArn('dynamodb', `table/${LOCAL_TABLE_NAME}/stream/2026-12-02T00:00:00.000`);

/**
 * Calls Lambda's event source mappings make with the role of the function they invoke, never our code: polling the
 * webhook queue for the deliverer, reading the table's stream for the relay (ListStreams has no resource type).
 */
const EVENT_SOURCE_CALLS: Record<string, { action: string; resource: string }[]> = {
  deliverer: QUEUE_EVENT_SOURCE_ACTIONS.map((action) => ({ action, resource: QUEUE_ARN })),
  relay: [
    ...['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'].map((action) => ({
      action,
      resource: STREAM_ARN,
    })),
    { action: 'dynamodb:ListStreams', resource: '*' },
  ],
};

/**
 * Granted because the function's code can make the call, but no suite makes it with that function's role. Kept
 * exact: a grant that becomes unused fails the test, and so does an entry that a recorded call now uses.
 */
const NOT_EXERCISED: Record<string, Record<string, string>> = {};

interface StackFunction {
  running: RunningFunction;
  /** The actions the route/task tables (or the reconciler's construct) declare, independently of the template. */
  declared: ReadonlySet<string>;
  fn: TransferFunction;
}

const nameOf = (fn: RunningFunction) => (fn.kind === fn.id ? fn.id : `${fn.kind} ${fn.id}`);

const declaredActions = (access: FunctionAccess): Set<string> => new Set(iamActionsOf(access));

let synth: SynthesisedStack;
let calls: RecordedAwsCall[];
let functions: StackFunction[];
const policiesByFunction = new Map<string, PolicyDocument[]>();
const logGroupByFunction = new Map<string, string>();

/** The template's references, as the local cloud names the same resources. */
function resolveIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const stateMachineId = synth.logicalId(synth.stack.workflow.stateMachine);
  if ('Ref' in object) {
    const ref = String(object.Ref);
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::Region') return LOCAL_REGION;
    if (ref === 'AWS::AccountId') return LOCAL_ACCOUNT_ID;
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    if (ref === stateMachineId) {
      return stateMachineArn({ region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID }, LOCAL_STATE_MACHINE_NAME);
    }
    throw new Error(`no local name for Ref ${ref}`);
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    if (id === synth.logicalId(synth.stack.table.table) && attribute === 'Arn') {
      return localArn('dynamodb', `table/${LOCAL_TABLE_NAME}`);
    }
    if (id === synth.logicalId(synth.stack.table.table) && attribute === 'StreamArn') return STREAM_ARN;
    if (id === stateMachineId && attribute === 'Name') return LOCAL_STATE_MACHINE_NAME;
    if (id === synth.logicalId(synth.stack.webhooks.queue) && attribute === 'Arn') return QUEUE_ARN;
    if (id === synth.logicalId(synth.stack.webhooks.bus) && attribute === 'Arn') {
      return localArn('events', `event-bus/${LOCAL_EVENT_BUS_NAME}`);
    }
    if (synth.resources[id]?.Type === 'AWS::Logs::LogGroup' && attribute === 'Arn') {
      return localArn('logs', `log-group:${id}:*`);
    }
    throw new Error(`no local name for ${id}.${attribute}`);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return (resolveIntrinsics(parts) as unknown[]).map(String).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([key, entry]) => [key, resolveIntrinsics(entry)]));
}

function policiesOf(fn: TransferFunction): PolicyDocument[] {
  const roleId = synth.logicalId(fn.role);
  return resourcesOfType(synth.resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles).includes(JSON.stringify(refTo(roleId))))
    .map(([, policy]) => resolveIntrinsics(propertiesOf(policy).PolicyDocument) as PolicyDocument);
}

/** The calls the platform makes with this function's role: PLATFORM_CALLS on its own log group, its event source's. */
function platformCallsOf(owner: StackFunction): RecordedAwsCall[] {
  const logGroup = logGroupByFunction.get(nameOf(owner.running)) ?? '';
  return [
    ...PLATFORM_CALLS.map((call) => ({ action: call.action, resource: call.resource(logGroup) })),
    ...(EVENT_SOURCE_CALLS[nameOf(owner.running)] ?? []),
  ].map((call) => ({ function: owner.running, ...call, context: {} }));
}

async function decision(owner: StackFunction, call: RecordedAwsCall): Promise<string> {
  const policies = policiesByFunction.get(nameOf(owner.running)) ?? [];
  const simulation: Simulation = {
    identityPolicies: policies.map((policy, index) => ({ name: `${owner.running.id}-${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: call.action,
      principal: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${owner.running.id}`,
      resource: { resource: call.resource, accountId: LOCAL_ACCOUNT_ID },
      contextVariables: call.context,
    },
  };
  const [service = '', action = ''] = call.action.split(':');
  if (call.resource !== '*' && (await isWildcardOnlyAction(service, action))) {
    // The authorization reference lists no resource type for states:SendTaskSuccess/Failure, but AWS authorizes
    // them against the state machine that issued the token (its AccessDenied names that ARN; CDK grants them on
    // it): evaluated here without the reference's resource validation.
    return runUnsafeSimulation(simulation, {});
  }
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`${call.action} on ${call.resource} does not simulate: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}

const describeCall = (call: RecordedAwsCall) =>
  `${nameOf(call.function)}: ${call.action} on ${call.resource}${
    Object.keys(call.context).length > 0 ? ` ${JSON.stringify(call.context)}` : ''
  }`;

const grantedActions = (policies: PolicyDocument[]) =>
  new Set(
    policies.flatMap((policy) =>
      policy.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
        Array.isArray(statement.Action) ? statement.Action.map(String) : [String(statement.Action)],
      ),
    ),
  );

beforeAll(async () => {
  calls = await readRecordedCalls(inject('awsCallDirectory'));
  synth = await synthesiseStack({ senderAddress: LOCAL_SENDER });
  const { stack } = synth;
  functions = [
    ...ROUTES.map((route) => ({
      running: { kind: 'route' as const, id: route.id },
      declared: declaredActions(route.access),
      fn: stack.routeFunctions.get(route.id) as TransferFunction,
    })),
    ...WORKFLOW_TASKS.map((task) => ({
      running: { kind: 'task' as const, id: task.id },
      declared: declaredActions(task.access),
      fn: stack.taskFunctions.get(task.id) as TransferFunction,
    })),
    { running: AUTHORIZER_FUNCTION, declared: new Set<string>(), fn: stack.authorizerFunction },
    {
      running: RECONCILER_FUNCTION,
      declared: new Set([...declaredActions(RECONCILER_ACCESS), ...EXECUTION_INSPECTION_ACTIONS]),
      fn: stack.reconciler.function,
    },
    { running: DELIVERER_FUNCTION, declared: declaredActions(DELIVERER_ACCESS), fn: stack.delivererFunction },
    { running: RELAY_FUNCTION, declared: declaredActions(RELAY_ACCESS), fn: stack.eventRelay.function },
  ];
  for (const { running, fn } of functions) {
    policiesByFunction.set(nameOf(running), policiesOf(fn));
    logGroupByFunction.set(nameOf(running), localArn('logs', `log-group:${synth.logicalId(fn.logGroup)}`));
  }
}, 120_000);

describe('IAM simulation of the recorded AWS calls', () => {
  it('has calls to evaluate from every function that makes AWS calls (recorded by the suites before this file)', () => {
    expect(calls.length, 'no recorded AWS calls: run the whole suite with `npm test`').toBeGreaterThan(0);
    const callers = new Set(calls.map((call) => nameOf(call.function)));
    const silent = functions.filter(
      (candidate) => candidate.declared.size > 0 && !callers.has(nameOf(candidate.running)),
    );
    expect(silent.map((candidate) => nameOf(candidate.running))).toEqual([]);
    const unknown = [...callers].filter((name) => !policiesByFunction.has(name));
    expect(unknown, 'calls from functions the stack does not have').toEqual([]);
  });

  it("allows every recorded call, and every platform call, from its own function's role", async () => {
    const refused: string[] = [];
    const platformCalls = functions.flatMap(platformCallsOf);
    for (const call of [...calls, ...platformCalls]) {
      const owner = functions.find((candidate) => nameOf(candidate.running) === nameOf(call.function));
      if (!owner) continue;
      const outcome = await decision(owner, call);
      if (outcome !== 'Allowed') refused.push(`${describeCall(call)} is ${outcome}`);
    }
    expect(refused).toEqual([]);
  });

  it("allows a sample of calls from another function's role exactly when that function declares the action", async () => {
    // One call per action and resource (executions collapsed: they differ only by name), asked of every role.
    const sample = new Map(
      calls.map((call) => [
        JSON.stringify([call.action, call.resource.replace(/(:execution:[^:]+:).*/, '$1*'), call.context]),
        call,
      ]),
    );
    const wrong: string[] = [];
    let denials = 0;
    for (const call of sample.values()) {
      for (const other of functions) {
        const expected = other.declared.has(call.action) ? 'Allowed' : 'ImplicitlyDenied';
        if (expected !== 'Allowed') denials++;
        const outcome = await decision(other, call);
        if (outcome !== expected)
          wrong.push(`from ${nameOf(other.running)}, ${describeCall(call)} is ${outcome}`);
      }
    }
    // Logs: each role writes only its own function's log group.
    const [first, second] = functions;
    if (first && second) {
      for (const call of platformCallsOf(first).filter((entry) => entry.action.startsWith('logs:'))) {
        denials++;
        const outcome = await decision(second, call);
        if (outcome !== 'ImplicitlyDenied')
          wrong.push(`from ${nameOf(second.running)}, ${describeCall(call)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(denials).toBeGreaterThan(sample.size);
  });

  it('uses every granted action in at least one call of the same function', () => {
    const unused: Record<string, Record<string, string>> = {};
    for (const stackFunction of functions) {
      const name = nameOf(stackFunction.running);
      const platform = new Set(platformCallsOf(stackFunction).map((call) => call.action));
      const used = new Set(calls.filter((call) => nameOf(call.function) === name).map((call) => call.action));
      const notUsed = [...grantedActions(policiesByFunction.get(name) ?? [])]
        .filter((action) => !platform.has(action) && !used.has(action))
        .sort();
      if (notUsed.length > 0) {
        unused[name] = Object.fromEntries(
          notUsed.map((action) => [action, NOT_EXERCISED[name]?.[action] ?? 'UNUSED GRANT']),
        );
      }
    }
    expect(unused).toEqual(NOT_EXERCISED);
  });
});
