// The synthesised template against the tables it is built from: every route of the route table is a method on
// its path (with the authorizer unless public), every ASL placeholder is substituted by its task function, the
// table has the shared schema, and the LocalStack variant differs only where it must.
import { beforeAll, describe, expect, it } from 'vitest';
import { INDEX_PROJECTION, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#adapters/table-schema.ts';
import { ROUTES } from '#api/routes.ts';
import { JWKS_PATH } from '#aws/transfer-api.ts';
import { METRICS_NAMESPACE, SERVICE_NAME, TRANSFER_METRICS } from '#shared/observability/metric-names.ts';
import {
  DEFAULT_WORKFLOW_SETTINGS,
  loadTransferDefinition,
  placeholdersOf,
} from '#statemachines/transfer-definition.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import {
  arnOf,
  propertiesOf,
  refTo,
  resourcesOfType,
  type SynthesisedStack,
  synthesiseStack,
  TEST_LOCAL_IDENTITY,
  type TemplateResource,
} from './synth-stack.ts';

type Resources = Record<string, TemplateResource>;

/** Walks AWS::ApiGateway::Resource parents up to the API root: the method's full path. */
function methodPath(resources: Resources, method: TemplateResource): string {
  const parts: string[] = [];
  let resourceId = (propertiesOf(method).ResourceId as { Ref?: string }).Ref;
  while (resourceId) {
    const resource = resources[resourceId];
    if (!resource) break;
    parts.unshift(resource.Properties?.PathPart as string);
    resourceId = (propertiesOf(resource).ParentId as { Ref?: string }).Ref;
  }
  return `/${parts.join('/')}`;
}

function methodsByRoute(resources: Resources) {
  return new Map(
    resourcesOfType(resources, 'AWS::ApiGateway::Method')
      // CORS preflights are the console's (test/infra/partner-console.test.ts).
      .filter(([, method]) => method.Properties?.HttpMethod !== 'OPTIONS')
      .map(([, method]) => [`${method.Properties?.HttpMethod} ${methodPath(resources, method)}`, method]),
  );
}

/** Our functions: not the one CDK's BucketDeployment brings to copy the console into its bucket. */
const serviceFunctions = (resources: Resources) =>
  resourcesOfType(resources, 'AWS::Lambda::Function').filter(
    ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
  );

const variablesOf = (resource: TemplateResource | undefined) =>
  ((resource?.Properties?.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {}) as Record<
    string,
    unknown
  >;

describe('AWS stack', () => {
  let synth: SynthesisedStack;
  beforeAll(async () => {
    synth = await synthesiseStack({ moveConcurrency: '4', senderAddress: 'transfers@contoso.example' });
  });

  it('has a method for every route on its resource path, with the authorizer unless the route is public', () => {
    const { resources, stack } = synth;
    const methods = methodsByRoute(resources);
    const authorizerId = synth.logicalId(stack.node.findChild('Api').node.findChild('TokenAuthorizer'));
    for (const route of ROUTES) {
      const method = methods.get(`${route.method} ${route.path}`);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      const props = method?.Properties ?? {};
      if (route.authorized) {
        expect(props.AuthorizationType, route.id).toBe('CUSTOM');
        expect(props.AuthorizerId, route.id).toEqual(refTo(authorizerId));
      } else {
        expect(props.AuthorizationType, route.id).toBe('NONE');
        expect(props.AuthorizerId, route.id).toBeUndefined();
      }
      const integration = props.Integration as { Type: string; Uri: unknown };
      expect(integration.Type, route.id).toBe('AWS_PROXY');
      const routeFunction = stack.routeFunctions.get(route.id);
      expect(routeFunction, route.id).toBeDefined();
      expect(JSON.stringify(integration.Uri), route.id).toContain(
        JSON.stringify(arnOf(synth.functionLogicalId(routeFunction!))),
      );
    }
    // Nothing but the routes: no method the route table does not know.
    expect(methods.size).toBe(ROUTES.length);
  });

  it('caches the TOKEN authorizer and turns gateway errors into {code, description, details}', () => {
    const { resources } = synth;
    const [[, authorizer] = []] = resourcesOfType(resources, 'AWS::ApiGateway::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    const responses: Record<string, Record<string, unknown> | undefined> = Object.fromEntries(
      resourcesOfType(resources, 'AWS::ApiGateway::GatewayResponse').map(([, response]) => [
        response.Properties?.ResponseType,
        response.Properties,
      ]),
    );
    for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(responses[type], type).toBeDefined();
    }
    expect(responses.UNAUTHORIZED?.StatusCode).toBe('401');
    expect(responses.ACCESS_DENIED?.StatusCode).toBe('403');
    for (const [type, response] of Object.entries(responses)) {
      const template =
        ((response?.ResponseTemplates ?? {}) as Record<string, string>)['application/json'] ?? '';
      // API Gateway fills the $context variables; the rest must already be the error shape.
      const sample = template
        .replace('"$context.error.responseType"', '"DEFAULT_4XX"')
        .replace('$context.error.messageString', '"message"');
      expect(Object.keys(JSON.parse(sample)), type).toEqual(['code', 'description', 'details']);
    }
  });

  it('logs, traces and throttles the API stage', () => {
    const [[, stage] = []] = resourcesOfType(synth.resources, 'AWS::ApiGateway::Stage');
    expect(stage?.Properties).toMatchObject({ StageName: 'prod', TracingEnabled: true });
    expect(
      (propertiesOf(stage).AccessLogSetting as { DestinationArn?: unknown }).DestinationArn,
    ).toBeDefined();
    expect(stage?.Properties?.MethodSettings).toEqual([
      expect.objectContaining({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR' }),
    ]);
  });

  it('substitutes every ASL placeholder with the ARN of its task function', () => {
    const { resources, stack } = synth;
    const [[, stateMachine] = []] = resourcesOfType(resources, 'AWS::StepFunctions::StateMachine');
    const props = stateMachine?.Properties ?? {};
    expect(props.StateMachineType).toBe('STANDARD');
    expect(typeof props.DefinitionString).toBe('string');
    const definition = JSON.parse(props.DefinitionString as string);
    // The shared loader's output, with the context's concurrency, nothing else.
    expect(definition).toEqual(loadTransferDefinition({ ...DEFAULT_WORKFLOW_SETTINGS, moveConcurrency: 4 }));
    expect(definition.States.MoveLineItems.MaxConcurrency).toBe(4);

    const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
    const placeholders = placeholdersOf(definition);
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Object.keys(substitutions).sort()).toEqual([...placeholders].sort());
    for (const placeholder of placeholders) {
      const task = WORKFLOW_TASKS.find((candidate) => candidate.placeholder === placeholder);
      expect(task, placeholder).toBeDefined();
      const taskFunction = stack.taskFunctions.get(task!.id)!;
      expect(substitutions[placeholder], placeholder).toEqual(arnOf(synth.functionLogicalId(taskFunction)));
    }
  });

  it('logs every state machine event (without execution data) and traces it', () => {
    const [[, stateMachine] = []] = resourcesOfType(synth.resources, 'AWS::StepFunctions::StateMachine');
    expect(stateMachine?.Properties).toMatchObject({
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('builds the table from the shared schema: on demand, PITR, TTL, deletion protection, retained', () => {
    const tables = resourcesOfType(synth.resources, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, table] = tables[0]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(table.Properties?.GlobalSecondaryIndexes).toEqual(
      TABLE_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: INDEX_PROJECTION },
      })),
    );
  });

  it('runs every function on a current Node runtime, arm64, traced, with its own log group and retention', () => {
    const functions = serviceFunctions(synth.resources);
    // One per route and per task, the authorizer, the reconciler, the webhook deliverer and the outbox relay (the
    // console's bucket deployment aside).
    expect(functions).toHaveLength(ROUTES.length + WORKFLOW_TASKS.length + 4);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(variablesOf(fn), id).toMatchObject({
        DEPLOYMENT_STAGE: 'aws',
        POWERTOOLS_SERVICE_NAME: 'partner-transfers',
      });
      const logGroupId = (propertiesOf(fn).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(synth.resources[logGroupId]?.Properties?.RetentionInDays, id).toBe(30);
    }
  });

  it('gives each function the variables its access needs, and the authorizer its JWT settings', () => {
    const { resources, stack } = synth;
    for (const route of ROUTES) {
      const variables = variablesOf(resources[synth.functionLogicalId(stack.routeFunctions.get(route.id)!)]);
      expect('TABLE_NAME' in variables, route.id).toBe(route.access.table.length > 0);
      expect('STATE_MACHINE_ARN' in variables, route.id).toBe((route.access.workflow ?? []).length > 0);
      expect(variables.SES_SENDER_ADDRESS, route.id).toBe(
        route.access.sendEmail ? 'transfers@contoso.example' : undefined,
      );
      expect('WEBHOOK_QUEUE_URL' in variables, route.id).toBe((route.access.webhookQueue ?? []).length > 0);
    }
    for (const task of WORKFLOW_TASKS) {
      const variables = variablesOf(resources[synth.functionLogicalId(stack.taskFunctions.get(task.id)!)]);
      expect(variables.TABLE_NAME, task.id).toBeDefined();
      // A task function referencing the state machine would be a dependency cycle.
      expect(variables.STATE_MACHINE_ARN, task.id).toBeUndefined();
      expect(variables.SES_SENDER_ADDRESS, task.id).toBe(
        task.access.sendEmail ? 'transfers@contoso.example' : undefined,
      );
      // Emails link to the console's page of the transfer.
      expect('CONSOLE_URL' in variables, task.id).toBe(Boolean(task.access.sendEmail));
    }
    const authorizer = variablesOf(resources[synth.functionLogicalId(stack.authorizerFunction)]);
    expect(authorizer).toMatchObject({
      JWT_ISSUER: refTo('JwtIssuer'),
      JWT_AUDIENCE: refTo('JwtAudience'),
      JWKS_URL: refTo('JwksUrl'),
    });
    expect(Object.keys(synth.template.toJSON().Parameters)).toEqual(
      expect.arrayContaining(['JwtIssuer', 'JwtAudience', 'JwksUrl']),
    );
  });

  it('delivers webhooks through bus -> rule -> queue (with dead letters and an alarm) -> deliverer', () => {
    const { resources, stack } = synth;
    const busId = synth.logicalId(stack.webhooks.bus);
    const queueId = synth.logicalId(stack.webhooks.queue);
    const deadLettersId = synth.logicalId(stack.webhooks.deadLetterQueue);
    const rules = resourcesOfType(resources, 'AWS::Events::Rule')
      .map(([, rule]) => rule.Properties)
      .filter((rule) => rule?.EventPattern !== undefined);
    expect(rules).toEqual([
      expect.objectContaining({
        EventBusName: refTo(busId),
        EventPattern: { source: ['partner-transfers'] },
        Targets: [
          expect.objectContaining({ Arn: arnOf(queueId), DeadLetterConfig: { Arn: arnOf(deadLettersId) } }),
        ],
      }),
    ]);
    expect(resources[queueId]?.Properties).toMatchObject({
      VisibilityTimeout: 90,
      MessageRetentionPeriod: 4 * 24 * 3600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(deadLettersId), maxReceiveCount: 15 },
    });
    const mappings = resourcesOfType(resources, 'AWS::Lambda::EventSourceMapping').map(
      ([, m]) => m.Properties,
    );
    expect(
      mappings.filter(
        (mapping) => JSON.stringify(mapping?.EventSourceArn) === JSON.stringify(arnOf(queueId)),
      ),
    ).toEqual([
      expect.objectContaining({
        FunctionName: refTo(synth.functionLogicalId(stack.delivererFunction)),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
    const alarms = resourcesOfType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLettersId, 'QueueName'] } }],
      }),
    );
  });

  it("relays the outbox to the bus from the table's stream (outbox items only) and a one-minute sweep", () => {
    const { resources, stack } = synth;
    const tableId = synth.logicalId(stack.table.table);
    const relayId = synth.functionLogicalId(stack.eventRelay.function);
    expect(resources[tableId]?.Properties?.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const fromStream = resourcesOfType(resources, 'AWS::Lambda::EventSourceMapping')
      .map(([, mapping]) => mapping.Properties)
      .filter((mapping) => JSON.stringify(mapping?.EventSourceArn).includes('StreamArn'));
    expect(fromStream).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        FunctionName: refTo(relayId),
        BisectBatchOnFunctionError: true,
        FilterCriteria: {
          Filters: [
            { Pattern: JSON.stringify({ dynamodb: { NewImage: { GSI5PK: { S: ['EVENTS#PENDING'] } } } }) },
          ],
        },
      }),
    ]);
    const sweeps = resourcesOfType(resources, 'AWS::Events::Rule')
      .map(([, rule]) => rule.Properties)
      .filter((rule) => JSON.stringify(rule?.Targets).includes(relayId));
    expect(sweeps).toEqual([expect.objectContaining({ ScheduleExpression: 'rate(1 minute)' })]);
    expect(variablesOf(resources[relayId])).toMatchObject({
      EVENT_BUS_NAME: refTo(synth.logicalId(stack.webhooks.bus)),
    });
  });

  it('verifies the sender identity, alarms on failed and timed-out executions and API 5xx, outputs the URLs', () => {
    const { resources, template } = synth;
    expect(resourcesOfType(resources, 'AWS::SES::EmailIdentity').map(([, r]) => r.Properties)).toEqual([
      { EmailIdentity: 'transfers@contoso.example' },
    ]);
    const metrics = resourcesOfType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' }),
        expect.objectContaining({ Namespace: 'AWS/States', MetricName: 'ExecutionsTimedOut' }),
        expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError' }),
      ]),
    );
    expect(Object.keys(template.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'StateMachineArn', 'TableName']),
    );
  });
});

/** The dashboard's JSON body, with every CloudFormation token (region, ARNs) replaced by "TOKEN". */
function dashboardBody(dashboard: TemplateResource | undefined) {
  const join = propertiesOf(dashboard).DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = join['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] };
}

describe('AWS stack dashboard', () => {
  let synth: SynthesisedStack;
  beforeAll(async () => {
    synth = await synthesiseStack({});
  });

  it('graphs every business metric the functions emit, in their namespace and with their service dimension', () => {
    const dashboards = resourcesOfType(synth.resources, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const metrics = dashboardBody(dashboards[0]?.[1]).widgets.flatMap((widget) => widget.properties.metrics);
    const business = metrics.filter((metric) => metric[0] === METRICS_NAMESPACE);
    for (const metric of business) expect(metric.slice(2, 4)).toEqual(['service', SERVICE_NAME]);
    expect(new Set(business.map((metric) => metric[1]))).toEqual(new Set(Object.values(TRANSFER_METRICS)));
  });

  it('shows the workflow executions and the API errors beside them', () => {
    const [[, dashboard] = []] = resourcesOfType(synth.resources, 'AWS::CloudWatch::Dashboard');
    const metrics = dashboardBody(dashboard).widgets.flatMap((widget) => widget.properties.metrics);
    const named = (namespace: string) =>
      metrics.filter((metric) => metric[0] === namespace).map((metric) => metric[1]);
    expect(named('AWS/States')).toEqual(
      expect.arrayContaining(['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionsTimedOut']),
    );
    expect(named('AWS/ApiGateway')).toEqual(expect.arrayContaining(['Count', '4XXError', '5XXError']));
  });
});

describe('LocalStack stack', () => {
  let synth: SynthesisedStack;
  beforeAll(async () => {
    synth = await synthesiseStack({ deploymentStage: 'localstack' });
  });

  it('trusts the local signing key and publishes its JWKS on the API itself', () => {
    const { resources, stack } = synth;
    const authorizer = variablesOf(resources[synth.functionLogicalId(stack.authorizerFunction)]);
    expect(authorizer.JWT_ISSUER).toBe(TEST_LOCAL_IDENTITY.issuer);
    expect(authorizer.JWT_AUDIENCE).toBe(TEST_LOCAL_IDENTITY.audience);
    expect(JSON.stringify(authorizer.JWKS_URL)).toContain(`/_aws/execute-api/`);
    expect(JSON.stringify(authorizer.JWKS_URL)).toContain(JWKS_PATH);
    expect(synth.template.toJSON().Parameters?.JwtIssuer).toBeUndefined();

    const jwks = methodsByRoute(resources).get(`GET ${JWKS_PATH}`);
    expect(jwks?.Properties?.AuthorizationType).toBe('NONE');
    const integration = jwks?.Properties?.Integration as {
      Type: string;
      IntegrationResponses: { ResponseTemplates: Record<string, string> }[];
    };
    expect(integration.Type).toBe('MOCK');
    expect(
      JSON.parse(integration.IntegrationResponses[0]?.ResponseTemplates['application/json'] ?? ''),
    ).toEqual(TEST_LOCAL_IDENTITY.jwks);
  });

  it('marks every function as running on LocalStack and lets the stack be destroyed', () => {
    const { resources } = synth;
    for (const [id, fn] of serviceFunctions(resources)) {
      expect(variablesOf(fn).DEPLOYMENT_STAGE, id).toBe('localstack');
    }
    const [[, table] = []] = resourcesOfType(resources, 'AWS::DynamoDB::Table');
    expect(table?.DeletionPolicy).toBe('Delete');
    expect(table?.Properties?.DeletionProtectionEnabled).toBe(false);
    // LocalStack's free CloudFormation has no SES identities; the setup script verifies the sender instead.
    expect(resourcesOfType(resources, 'AWS::SES::EmailIdentity')).toHaveLength(0);
    expect(resourcesOfType(resources, 'AWS::ApiGateway::Account')).toHaveLength(0);
  });
});

describe('stack settings', () => {
  it('refuses a bad context value with its name', async () => {
    await expect(synthesiseStack({ moveConcurrency: '0' })).rejects.toThrow(/moveConcurrency/);
    await expect(synthesiseStack({ logRetentionDays: '12' })).rejects.toThrow(/logRetentionDays/);
    await expect(synthesiseStack({ deploymentStage: 'moon' })).rejects.toThrow(/deploymentStage/);
  });
});
