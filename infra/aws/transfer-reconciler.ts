// The reconciler on AWS: its function (functions/operations/reconcile-handler.ts), run every few minutes by an
// EventBridge rule with a schedule expression, with a dead-letter queue for invocations EventBridge could not
// deliver. A rule rather than EventBridge Scheduler: LocalStack's free image only stores Scheduler schedules (they
// never fire), while rules fire on both, so one definition serves AWS and LocalStack (docs/runbook.md).
import { ArnFormat, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionAccess } from '#shared/function-access.ts';
import { nagEnvironment } from './nag-environment.ts';
import type { TransferFunction } from './transfer-function.ts';
import type { TransferTable } from './transfer-table.ts';

export const RECONCILER_ENTRY = 'functions/operations/reconcile-handler.ts';
export const RECONCILER_SCHEDULE_MINUTES = 5;

/** What the reconciler asks of executions: their state, and stopping one past its window (histories are `npm run ops`'s). */
/**
 * The reconciler's table and workflow actions: open transfers by status (Query), repairs as conditional writes
 * (refusals read back) and audit entries; it restarts a workflow, ends the acceptance wait of a transfer it expired
 * and resumes the wait of one a submit accepted without resuming it (a crash between the two).
 */
export const RECONCILER_ACCESS: FunctionAccess = {
  table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
  workflow: ['StartExecution', 'SendTaskSuccess', 'SendTaskFailure'],
};

export const EXECUTION_INSPECTION_ACTIONS = ['states:DescribeExecution', 'states:StopExecution'] as const;

export interface TransferReconcilerProps {
  newFunction: (scopeId: string, entry: string, description: string, timeout?: Duration) => TransferFunction;
  table: TransferTable;
  stateMachine: sfn.StateMachine;
  removalPolicy: RemovalPolicy;
}

export class TransferReconciler extends Construct {
  readonly function: TransferFunction;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TransferReconcilerProps) {
    super(scope, id);
    this.function = props.newFunction(
      'ReconcilerFunction',
      RECONCILER_ENTRY,
      'Finds transfers whose status and workflow disagree and repairs them',
      Duration.minutes(4),
    );
    this.function.bindTable(props.table, RECONCILER_ACCESS.table);
    this.function.bindWorkflow(props.stateMachine, RECONCILER_ACCESS.workflow ?? []);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InspectTransferExecutions',
        actions: [...EXECUTION_INSPECTION_ACTIONS],
        resources: [executionsOf(props.stateMachine)],
      }),
    );
    const { region, account } = nagEnvironment(this);
    Validations.of(this.function).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:<WorkflowStateMachine8F1B1C15.Name>:*]`,
      reason:
        'Execution ARNs are named at run time (<transferId>-r<n>): the grant names this one state machine and ' +
        'covers only its executions.',
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the reconciler schedule itself; it needs none of its own.',
    });
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the transfer reconciler',
      schedule: events.Schedule.rate(Duration.minutes(RECONCILER_SCHEDULE_MINUTES)),
      targets: [
        new targets.LambdaFunction(this.function.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.minutes(RECONCILER_SCHEDULE_MINUTES),
        }),
      ],
    });
  }
}

/** `arn:…:execution:<state machine name>:*`: the executions of this state machine and no other. */
export function executionsOf(stateMachine: sfn.StateMachine): string {
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
