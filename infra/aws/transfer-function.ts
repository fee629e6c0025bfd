// One Lambda function of the service: bundled from its TypeScript entry with the local esbuild (never Docker), its
// own role that starts with nothing but its log group and X-Ray, and small `bind*` methods that grant a permission
// and set the variable the code reads for it in one call, so configuration and permission never drift apart.
import { resolve } from 'node:path';
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  LogLevel,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ConfigName } from '#shared/config.ts';
import { TABLE_READ_ACTIONS, type TableAction, type WorkflowAction } from '#shared/function-access.ts';
import type { TransferTable } from './transfer-table.ts';

export const REPOSITORY_ROOT = resolve(import.meta.dirname, '../..');

/** The Lambda runtime and the esbuild target must name the same Node version. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
const ESBUILD_TARGET = 'node24';

/** Shared by every function of the stack (STYLE: one settings object spread into each function). */
export const functionSettings = {
  runtime: LAMBDA_RUNTIME,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(20),
  tracing: lambda.Tracing.ACTIVE,
  projectRoot: REPOSITORY_ROOT,
  depsLockFilePath: resolve(REPOSITORY_ROOT, 'package-lock.json'),
  bundling: {
    format: OutputFormat.ESM,
    target: ESBUILD_TARGET,
    mainFields: ['module', 'main'],
    // Bundle the AWS SDK too: the functions run the exact SDK versions the tests ran.
    bundleAwsSDK: true,
    minify: true,
    // Step Functions matches errors by name (TransientMoveError...): class names must survive minification.
    keepNames: true,
    sourceMap: true,
    sourcesContent: false,
    forceDockerBundling: false,
    logLevel: LogLevel.WARNING,
    // ESM output: CommonJS dependencies bundled in still call require().
    banner:
      "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);",
  },
} satisfies NodejsFunctionProps;

export interface TransferFunctionProps {
  /** Handler module relative to the repository root (it exports `handler`). */
  entry: string;
  description: string;
  /** Variables every function of this deployment gets (stage, service name, log level). */
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  timeout?: Duration;
}

/** The variables a function may be given, named as functions/shared/config.ts reads them. */
type FunctionVariable = ConfigName | 'POWERTOOLS_SERVICE_NAME' | 'POWERTOOLS_LOG_LEVEL' | 'NODE_OPTIONS';

export class TransferFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TransferFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // An explicit role instead of the default one: no AWSLambdaBasicExecutionRole managed policy (its
    // CreateLogGroup on every log group of the account), only writes to this function's own log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      ...functionSettings,
      entry: resolve(REPOSITORY_ROOT, props.entry),
      handler: 'handler',
      description: props.description.slice(0, 256),
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment },
      ...(props.timeout ? { timeout: props.timeout } : {}),
    });
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  setVariable(name: FunctionVariable, value: string): void {
    this.function.addEnvironment(name, value);
  }

  addToRolePolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }

  /**
   * CONTINUATION_TOKEN_SECRET as a CloudFormation dynamic reference: resolved at deploy time, so the function reads
   * no secret at run time and needs no grant; the template holds only the reference.
   */
  bindContinuationTokenSecret(secret: secretsmanager.ISecret): void {
    this.setVariable('CONTINUATION_TOKEN_SECRET', secret.secretValue.unsafeUnwrap());
  }

  /**
   * Exactly the given DynamoDB actions plus TABLE_NAME: reads on the table and each index by name (no `index/*`),
   * writes on the table alone (indexes are only read).
   */
  bindTable(table: TransferTable, actions: readonly TableAction[]): void {
    const reads = actions.filter((action) => TABLE_READ_ACTIONS.includes(action));
    const writes = actions.filter((action) => !TABLE_READ_ACTIONS.includes(action));
    if (reads.length > 0) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadTransferTable',
          actions: reads.map((action) => `dynamodb:${action}`),
          resources: [table.table.tableArn, ...table.indexArns],
        }),
      );
    }
    if (writes.length > 0) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'WriteTransferTable',
          actions: writes.map((action) => `dynamodb:${action}`),
          resources: [table.table.tableArn],
        }),
      );
    }
    this.setVariable('TABLE_NAME', table.table.tableName);
  }

  /**
   * Exactly the given actions on this one state machine, plus STATE_MACHINE_ARN. Only for functions the state
   * machine does not invoke (a cycle otherwise).
   */
  bindWorkflow(stateMachine: sfn.IStateMachine, actions: readonly WorkflowAction[]): void {
    if (actions.length === 0) return;
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DriveTransferWorkflow',
        actions: actions.map((action) => `states:${action}`),
        resources: [stateMachine.stateMachineArn],
      }),
    );
    this.setVariable('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
  }

  /** ses:SendEmail from exactly this sender identity, plus SES_SENDER_ADDRESS. */
  bindEmailSender(senderAddress: string): void {
    const identityArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: senderAddress,
    });
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendTransferEmails',
        actions: ['ses:SendEmail'],
        resources: [identityArn],
        conditions: { StringEquals: { 'ses:FromAddress': senderAddress } },
      }),
    );
    this.setVariable('SES_SENDER_ADDRESS', senderAddress);
  }
}
