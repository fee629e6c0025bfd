// The whole service on AWS (or LocalStack) in one stack: the table, one function per route and per workflow task,
// the TOKEN authorizer, the REST API from the route table, the state machine from the ASL file, the SES sender,
// alarms, a dashboard and outputs, and the partner console. Every permission comes from the `access` flags of the
// route and task tables.
import { resolve } from 'node:path';
import {
  Aws,
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '#api/routes.ts';
import { API_SCOPE } from '#local/identity.ts';
import { SERVICE_NAME } from '#shared/observability/metric-names.ts';
import { DELIVERER_ACCESS, DELIVERER_ENTRY } from '#webhooks/entries.ts';
import { WEBHOOK_QUEUE_SETTINGS } from '#webhooks/queue-settings.ts';
import { WORKFLOW_TASKS, type WorkflowTaskDefinition } from '#workflow/tasks.ts';
import { alarmOnFirst, OperationsAlarms } from './operations-alarms.ts';
import { PartnerConsole } from './partner-console.ts';
import type { StackSettings } from './stack-settings.ts';
import { JWKS_PATH, TransferApi } from './transfer-api.ts';
import { TransferDashboard } from './transfer-dashboard.ts';
import { TransferEventRelay } from './transfer-event-relay.ts';
import { REPOSITORY_ROOT, TransferFunction } from './transfer-function.ts';
import { TransferReconciler } from './transfer-reconciler.ts';
import { TransferStateMachine } from './transfer-state-machine.ts';
import { TransferTable } from './transfer-table.ts';
import { WebhookDelivery } from './webhook-delivery.ts';

export const AUTHORIZER_ENTRY = 'functions/authorizer/handler.ts';
/** The issuer and audience of tokens signed by the local signing key (`npm run token`). */
export interface LocalIdentitySettings {
  issuer: string;
  audience: string;
  jwks: { keys: unknown[] };
}

export interface TransfersStackProps extends StackProps {
  settings: StackSettings;
  /** The built console to upload (absolute, or relative to the repository). */
  consoleAssetDir: string;
  /** LocalStack only: the identity whose JWKS the stack publishes and whose tokens the authorizer accepts. */
  localIdentity?: LocalIdentitySettings;
  routes?: readonly RouteDefinition[];
  tasks?: readonly WorkflowTaskDefinition[];
}

/** npm start's OpenID provider: what a console on LocalStack signs in with (its tokens are the local key's). */
const LOCAL_IDENTITY_METADATA_URL = 'http://127.0.0.1:4715/.well-known/openid-configuration';

/** scheme://host of a URL that may be a deploy-time token (a stack parameter). */
const originOf = (url: string): string =>
  Token.isUnresolved(url)
    ? Fn.join('', [Fn.select(0, Fn.split('/', url)), '//', Fn.select(2, Fn.split('/', url))])
    : new URL(url).origin;

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

export class TransfersStack extends Stack {
  readonly table: TransferTable;
  readonly api: TransferApi;
  readonly workflow: TransferStateMachine;
  readonly reconciler: TransferReconciler;
  readonly authorizerFunction: TransferFunction;
  readonly dashboard: TransferDashboard;
  readonly webhooks: WebhookDelivery;
  readonly eventRelay: TransferEventRelay;
  readonly delivererFunction: TransferFunction;
  /** Route id -> its function. */
  readonly routeFunctions = new Map<string, TransferFunction>();
  /** Workflow task id -> its function. */
  readonly taskFunctions = new Map<string, TransferFunction>();
  /** The API's base URL (ApiUrl output, the console's apiUrl), without a trailing slash. */
  readonly publicApiUrl: string;
  readonly console: PartnerConsole;

  constructor(scope: Construct, id: string, props: TransfersStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const routes = props.routes ?? ROUTES;
    const tasks = props.tasks ?? WORKFLOW_TASKS;
    const onLocalStack = settings.deploymentStage === 'localstack';
    if (onLocalStack && !props.localIdentity) throw new Error('A LocalStack stack needs the local identity');
    // LocalStack deployments are destroyed and redeployed: nothing may outlive the stack there.
    const retainOnAws = onLocalStack ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = settings.logRetentionDays as logs.RetentionDays;

    this.table = new TransferTable(this, 'Transfers', {
      deletionProtection: settings.tableDeletionProtection,
      removalPolicy: retainOnAws,
    });

    this.api = new TransferApi(this, 'Api', {
      routes,
      stageName: settings.apiStageName,
      throttleRateLimit: settings.throttleRateLimit,
      throttleBurstLimit: settings.throttleBurstLimit,
      authorizerCacheSeconds: settings.authorizerCacheSeconds,
      cloudWatchRole: settings.apiGatewayCloudWatchRole,
      logRetention,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    // Built from the API id and the stage *name*: referencing the stage itself would make every function depend
    // on the deployment, which depends on the methods, which depend on the functions (a cycle).
    const restApiId = this.api.restApi.restApiId;
    this.publicApiUrl =
      settings.publicApiUrl?.replace(/\/+$/, '') ??
      (onLocalStack
        ? `${settings.localstackEndpoint.replace(/\/+$/, '')}/_aws/execute-api/${restApiId}/${settings.apiStageName}`
        : `https://${restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${settings.apiStageName}`);

    const identity = this.identityProviderSettings(settings, props.localIdentity);
    // The console depends on the RestApi resource only (its origin is built from the id, like the URL above).
    const apiOrigin = onLocalStack
      ? new URL(settings.localstackEndpoint).origin
      : `https://${restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const metadataUrl =
      settings.consoleIdentityMetadataUrl ?? (onLocalStack ? LOCAL_IDENTITY_METADATA_URL : undefined);
    this.console = new PartnerConsole(this, 'Console', {
      assetDir: resolve(REPOSITORY_ROOT, props.consoleAssetDir),
      config: {
        apiUrl: this.publicApiUrl,
        authority: identity.issuer,
        ...(metadataUrl ? { metadataUrl } : {}),
        clientId: settings.consoleClientId,
        scope: settings.consoleScope ?? (onLocalStack ? `openid profile ${API_SCOPE}` : 'openid profile'),
      },
      connectOrigins: [apiOrigin, originOf(identity.issuer), ...(metadataUrl ? [originOf(metadataUrl)] : [])],
      websiteOnly: onLocalStack,
      localstackEndpoint: settings.localstackEndpoint,
      removalPolicy: onLocalStack ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.api.addGatewayResponses(this.console.origin);

    const baseEnvironment = {
      DEPLOYMENT_STAGE: settings.deploymentStage,
      ACCEPTANCE_WINDOW_DAYS: String(settings.acceptanceWindowDays),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const newFunction = (scopeId: string, entry: string, description: string, timeout?: Duration) => {
      const fn = new TransferFunction(this, scopeId, {
        entry,
        description,
        environment: baseEnvironment,
        logRetention,
        logRemovalPolicy: RemovalPolicy.DESTROY,
        ...(timeout ? { timeout } : {}),
      });
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level ' +
          'permissions, AWS requires Resource "*". Every other statement names its resources.',
      });
      return fn;
    };

    // SES sender: an EmailIdentity on AWS (verification email to the address); LocalStack's CloudFormation has no
    // AWS::SES::EmailIdentity in the free tier, so scripts/localstack-setup.ts verifies the address there.
    if (!onLocalStack) {
      new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: ses.Identity.email(settings.senderAddress),
      });
    }

    this.delivererFunction = newFunction(
      'WebhookDeliverer',
      DELIVERER_ENTRY,
      'Delivers transfer events to partner webhook endpoints',
      Duration.seconds(WEBHOOK_QUEUE_SETTINGS.delivererTimeoutSeconds),
    );
    this.delivererFunction.bindTable(this.table, DELIVERER_ACCESS.table);
    this.delivererFunction.bindEmailSender(settings.senderAddress);
    this.webhooks = new WebhookDelivery(this, 'Webhooks', {
      deliverer: this.delivererFunction,
      delivererQueueActions: DELIVERER_ACCESS.webhookQueue ?? [],
      removalPolicy: retainOnAws,
    });
    this.eventRelay = new TransferEventRelay(this, 'EventRelay', {
      newFunction,
      table: this.table,
      webhooks: this.webhooks,
    });

    for (const task of tasks) {
      const fn = newFunction(
        `Task${pascal(task.id)}`,
        task.entry,
        `Workflow task ${task.id}`,
        // A task may page through 1,000 line items or send a dozen emails; the ASL retries it on failure.
        Duration.seconds(60),
      );
      fn.bindTable(this.table, task.access.table);
      if (task.access.sendEmail) {
        fn.bindEmailSender(settings.senderAddress);
        fn.setVariable('CONSOLE_URL', this.console.url);
      }
      this.taskFunctions.set(task.id, fn);
    }

    this.workflow = new TransferStateMachine(this, 'Workflow', {
      tasks,
      taskFunctions: this.taskFunctions,
      moveConcurrency: settings.moveConcurrency,
      logRetention,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.workflow).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for execution logging (logs:CreateLogDelivery and the other vended-log actions) and X-Ray ' +
        '(xray:PutTraceSegments...): these actions support no resource-level permissions. Lambda invoke names ' +
        'each task function.',
    });

    this.authorizerFunction = newFunction(
      'Authorizer',
      AUTHORIZER_ENTRY,
      'API Gateway TOKEN authorizer: verifies the bearer JWT',
      Duration.seconds(10),
    );
    this.authorizerFunction.setVariable('JWT_ISSUER', identity.issuer);
    this.authorizerFunction.setVariable('JWT_AUDIENCE', identity.audience);
    this.authorizerFunction.setVariable('JWKS_URL', identity.jwksUrl);
    if (props.localIdentity) new CfnOutput(this, 'JwksUrl', { value: identity.jwksUrl });
    this.api.useAuthorizer(this.authorizerFunction);

    // Seals continuation tokens (functions/shared/http/sealed-continuation-token.ts). Rotating it only invalidates
    // the tokens of pages in flight (a 400 asks the client to start the listing again).
    const continuationTokenSecret = new secretsmanager.Secret(this, 'ContinuationTokenSecret', {
      description: 'Key material that seals the API continuation tokens.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(continuationTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Resolved into the listing functions at deploy time; rotation is a redeploy, and only invalidates ' +
        'continuation tokens in flight, so no rotation Lambda is needed.',
    });

    for (const route of routes) {
      // API Gateway gives up after 29 s; the function stops before so its error is the one the caller sees.
      const fn = newFunction(
        `Route${pascal(route.id)}`,
        route.entry,
        `${route.method} ${route.path}`,
        Duration.seconds(25),
      );
      if (route.access.table.length > 0) fn.bindTable(this.table, route.access.table);
      fn.setVariable('CONSOLE_ORIGIN', this.console.origin);
      fn.bindWorkflow(this.workflow.stateMachine, route.access.workflow ?? []);
      if (route.access.continuationTokenSecret) fn.bindContinuationTokenSecret(continuationTokenSecret);
      this.webhooks.bindQueue(fn, route.access.webhookQueue ?? []);
      if (route.access.sendEmail) fn.bindEmailSender(settings.senderAddress);
      this.routeFunctions.set(route.id, fn);
      const method = this.api.addRoute(route, fn, this.console.origin);
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: route.authorized
          ? 'Partners authenticate with their own identity provider; a Lambda TOKEN authorizer verifies the JWT.'
          : 'A public route has no authorizer at all (see the APIG4 acknowledgement): Cognito would not apply.',
      });
      if (!route.authorized) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (${route.summary})`,
        });
      }
    }
    if (props.localIdentity) {
      const jwksMethod = this.api.addStaticDocument(JWKS_PATH, props.localIdentity.jwks);
      for (const ruleId of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        Validations.of(jwksMethod).acknowledge({
          id: ruleId,
          reason: 'A public key set (JWKS) is public by definition; LocalStack deployments only.',
        });
      }
    }
    this.reconciler = new TransferReconciler(this, 'Reconciler', {
      newFunction,
      table: this.table,
      stateMachine: this.workflow.stateMachine,
      removalPolicy: retainOnAws,
    });
    this.acknowledgeApiFindings(settings);
    this.addAlarms(settings);
    this.dashboard = new TransferDashboard(this, 'Dashboard', {
      stateMachine: this.workflow.stateMachine,
      apiStage: this.api.restApi.deploymentStage,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: `${this.publicApiUrl}/`,
      description: 'Base URL of the API (routes start with v1/).',
    });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${this.console.url}/`,
      description: 'The partner console: sign in here.',
    });
    new CfnOutput(this, 'RestApiId', { value: restApiId });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'SenderAddress', { value: settings.senderAddress });
    new CfnOutput(this, 'EventBusName', { value: this.webhooks.bus.eventBusName });
  }

  /** Who issues partner tokens: stack parameters on AWS, the local signing key on LocalStack. */
  private identityProviderSettings(
    settings: StackSettings,
    localIdentity: LocalIdentitySettings | undefined,
  ) {
    if (localIdentity) {
      return {
        issuer: localIdentity.issuer,
        audience: localIdentity.audience,
        jwksUrl: `${this.publicApiUrl}${JWKS_PATH}`,
      };
    }
    const parameter = (id: string, description: string, defaultValue?: string, pattern?: string) =>
      new CfnParameter(this, id, {
        type: 'String',
        description,
        minLength: 1,
        ...(defaultValue ? { default: defaultValue } : {}),
        ...(pattern ? { allowedPattern: pattern } : {}),
      }).valueAsString;
    return {
      issuer: parameter(
        'JwtIssuer',
        'Issuer (iss) of partner tokens; the console signs in there',
        settings.jwtIssuer,
      ),
      audience: parameter(
        'JwtAudience',
        'Audience (aud) of partner tokens',
        settings.jwtAudience ?? SERVICE_NAME,
      ),
      jwksUrl: parameter(
        'JwksUrl',
        'HTTPS URL of the issuer key set (JWKS)',
        settings.jwksUrl,
        '^https://.+',
      ),
    };
  }

  private acknowledgeApiFindings(settings: StackSettings) {
    const restApi = this.api.restApi;
    Validations.of(restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Each handler validates path, query and body with its zod schema and answers 400 naming the exact ' +
        'field; an API Gateway model would duplicate the schemas and answer without the field.',
    });
    Validations.of(restApi).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'Not every deployment wants to pay for AWS WAF: stage throttling limits abuse, and a web ACL can be ' +
        'associated with the stage outside this stack.',
    });
    if (settings.apiGatewayCloudWatchRole) {
      Validations.of(restApi).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-wide logging role; the AWS managed policy is the documented way to let API " +
          'Gateway write access and execution logs.',
      });
    }
  }

  private addAlarms(settings: StackSettings) {
    const stateMachine = this.workflow.stateMachine;
    const sumOverFiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    const alarms = [
      alarmOnFirst(
        this,
        'WorkflowFailedAlarm',
        'A transfer workflow execution failed (see docs/runbook.md).',
        stateMachine.metricFailed(sumOverFiveMinutes),
      ),
      alarmOnFirst(
        this,
        'WorkflowTimedOutAlarm',
        'A transfer workflow execution timed out (see docs/runbook.md).',
        stateMachine.metricTimedOut(sumOverFiveMinutes),
      ),
      alarmOnFirst(
        this,
        'Api5xxAlarm',
        'The API answered with 5xx errors (see docs/runbook.md).',
        this.api.restApi.deploymentStage.metricServerError(sumOverFiveMinutes),
      ),
      ...new OperationsAlarms(this, 'OperationsAlarms', {
        reconciler: this.reconciler.function,
        deadLetterQueue: this.reconciler.deadLetterQueue,
        table: this.table,
        stateMachine: this.workflow.stateMachine,
      }).alarms,
    ];
    alarms.push(this.webhooks.deadLetterAlarm, this.eventRelay.errorsAlarm);
    if (settings.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', settings.alarmTopicArn);
      for (const alarm of alarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    }
  }
}
