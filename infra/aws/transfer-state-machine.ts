// The transfer workflow from statemachines/transfer.asl.json, through the same loader the local engine uses: every
// `${Placeholder}` becomes its task function's ARN (definitionSubstitutions), and the state machine may invoke
// exactly those functions, nothing else.
import type { RemovalPolicy } from 'aws-cdk-lib';
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
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
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
  }
}
