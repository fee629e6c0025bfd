// The transfer workflow from statemachines/transfer.asl.json, through the same loader the local engine uses: every
// `${Placeholder}` becomes its task function's ARN (definitionSubstitutions). The state machine may invoke exactly
// those functions and, for its DISTRIBUTED Map, start and manage its own child executions, nothing else. It has a
// name of its own (not one CloudFormation generates) so that its role can name its ARN without depending on it.
import { ArnFormat, Names, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  DEFAULT_WORKFLOW_SETTINGS,
  loadTransferDefinition,
  placeholdersOf,
} from '#statemachines/transfer-definition.ts';
import type { WorkflowTaskDefinition } from '#workflow/tasks.ts';
import { nagEnvironment } from './nag-environment.ts';
import type { TransferFunction } from './transfer-function.ts';

export interface TransferStateMachineProps {
  tasks: readonly WorkflowTaskDefinition[];
  /** Task id -> its function. */
  taskFunctions: ReadonlyMap<string, TransferFunction>;
  moveConcurrency: number;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

export class TransferStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** Fixed at synth time, so the role can name the state machine's ARN without a dependency cycle. */
  readonly stateMachineName: string;
  /** Placeholder -> the function ARN that replaces it (as CloudFormation tokens). */
  readonly substitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: TransferStateMachineProps) {
    super(scope, id);
    const definition = loadTransferDefinition({
      ...DEFAULT_WORKFLOW_SETTINGS,
      moveConcurrency: props.moveConcurrency,
    });
    const functionFor = (task: WorkflowTaskDefinition): TransferFunction => {
      const fn = props.taskFunctions.get(task.id);
      if (!fn) throw new Error(`No function for workflow task ${task.id}`);
      return fn;
    };
    this.substitutions = Object.fromEntries(
      props.tasks.map((task) => [task.placeholder, functionFor(task).functionArn]),
    );
    const missing = placeholdersOf(definition).filter((name) => this.substitutions[name] === undefined);
    if (missing.length > 0) {
      throw new Error(`No workflow task provides ASL placeholder(s): ${missing.join(', ')}`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 64 });
    this.stateMachineName = stateMachineName;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(definition)),
      definitionSubstitutions: this.substitutions,
      // Execution data holds customer contacts and task tokens: log the events, not the payloads.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      comment: 'Partner-to-partner transfer: notify, await acceptance, move line items, finalise.',
    });
    // Exactly the task functions, unqualified (the ASL names them by ARN, never by version or alias).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTransferTasks',
        actions: ['lambda:InvokeFunction'],
        resources: props.tasks.map((task) => functionFor(task).functionArn),
      }),
    );
    this.grantOwnChildExecutions(stateMachineName);
  }

  /**
   * What AWS documents for a DISTRIBUTED Map (iam-policies-eg-dist-map): StartExecution on the state machine itself,
   * DescribeExecution and StopExecution on its executions. The children are named `<name>/<map run label>:<id>`,
   * hence the second pattern next to the documented `<name>:*`; no other state machine's executions match either.
   */
  private grantOwnChildExecutions(stateMachineName: string): void {
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'states',
        resource,
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartOwnChildExecutions',
        actions: ['states:StartExecution'],
        resources: [arn('stateMachine', stateMachineName)],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ManageOwnChildExecutions',
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [arn('execution', `${stateMachineName}:*`), arn('execution', `${stateMachineName}/*`)],
      }),
    );
    const { region, account } = nagEnvironment(this);
    for (const pattern of [`${stateMachineName}:*`, `${stateMachineName}/*`]) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:${pattern}]`,
        reason:
          'A DISTRIBUTED Map names its child executions at run time: the wildcard covers only the executions ' +
          'of this state machine (as AWS documents for distributed maps), for DescribeExecution and StopExecution.',
      });
    }
  }
}
