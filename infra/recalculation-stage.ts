import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { STATEMENT_RUNS } from '../shared/statements/recalculate-statement.ts';
import { SCHEDULE_HOUR, SCHEDULE_TIME_ZONE } from '../shared/statements/schedule.ts';
import { QUEUE_BATCH_SIZE } from '../shared/statements/recalculation-queue.ts';
import { PbrFunction } from './pbr-function.ts';
import { PipelineStage } from './pipeline-stage.ts';
import type { Storage } from './storage.ts';
import { STATEMENTS_PREFIX } from '../shared/statements/recalculate-statement.ts';

/** How long SQS gathers recalculation requests before invoking the function (a burst of 40 uploads: a handful of runs). */
const RECALCULATION_BATCHING_WINDOW = Duration.seconds(20);

/**
 * Stage 3, statements: on the 1st of each month (06:00 Copenhagen) EventBridge
 * Scheduler invokes the schedule function, which queues one recalculation
 * request per partnership, and every accepted timesheet, contract or roster
 * queues one for its partnership (spec 8, always current); the recalculate
 * function takes them off the queue in batches (merged per partnership) and
 * publishes statements to the table and under `statements/`. A request that
 * fails three times moves to the dead-letter queue.
 */
export class RecalculationStage extends PipelineStage {
  readonly recalculationQueue: sqs.Queue;
  /** Where a request goes after three failed receives (an alarm watches it, infra/operations.ts). */
  readonly deadLetterQueue: sqs.Queue;
  readonly recalculateFunction: PbrFunction;
  readonly scheduleFunction: PbrFunction;

  /** `announcers`: the functions whose accepted inputs queue a recalculation (ingest, accept-input). */
  constructor(scope: Construct, id: string, props: { storage: Storage; announcers: PbrFunction[] }) {
    super(scope, id);
    const { storage } = props;

    this.deadLetterQueue = new sqs.Queue(this, 'RecalculationDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the recalculation queue.',
    });
    this.recalculateFunction = new PbrFunction(this, 'RecalculateStatement', {
      entry: 'functions/recalculate-statement/handler.ts',
      description: 'Recalculate one partnership statement (outcomes, savings, projection)',
      timeout: Duration.minutes(5),
      environment: { TABLE_NAME: storage.table.tableName, BUCKET_NAME: storage.bucket.bucketName, STATEMENT_RUNS: String(STATEMENT_RUNS) },
    });
    this.recalculationQueue = new sqs.Queue(this, 'RecalculationQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(30), // six times the function timeout, as Lambda advises
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });
    // A burst of uploads within the window arrives in few batches, merged per partnership by the handler.
    this.recalculateFunction.fn.addEventSource(
      new SqsEventSource(this.recalculationQueue, { batchSize: QUEUE_BATCH_SIZE, maxBatchingWindow: RECALCULATION_BATCHING_WINDOW, reportBatchItemFailures: true }),
    );
    for (const announcer of props.announcers) {
      announcer.fn.addEnvironment('RECALCULATION_QUEUE_URL', this.recalculationQueue.queueUrl);
      this.recalculationQueue.grantSendMessages(announcer.role);
    }
    storage.grant(this.recalculateFunction, { write: [STATEMENTS_PREFIX], table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'] });

    this.scheduleFunction = new PbrFunction(this, 'ScheduleRecalculation', {
      entry: 'functions/schedule-recalculation/handler.ts',
      description: 'Queue one statement recalculation per partnership',
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: storage.table.tableName, QUEUE_URL: this.recalculationQueue.queueUrl },
    });
    storage.grant(this.scheduleFunction, { table: ['dynamodb:Query'] });
    this.recalculationQueue.grantSendMessages(this.scheduleFunction.role);
    this.scheduleMonthly();
  }

  /** The monthly EventBridge Scheduler schedule that invokes the schedule function. */
  private scheduleMonthly(): void {
    new scheduler.Schedule(this, 'MonthlyRecalculation', {
      description: `Recalculate every statement as of the previous month, on the 1st at ${SCHEDULE_HOUR}:00 ${SCHEDULE_TIME_ZONE}`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(SCHEDULE_HOUR), day: '1', timeZone: TimeZone.of(SCHEDULE_TIME_ZONE) }),
      target: new schedulerTargets.LambdaInvoke(this.scheduleFunction.fn, { input: scheduler.ScheduleTargetInput.fromObject({}), retryAttempts: 3 }),
    });
    // The target's role is a stack-level singleton that aws-cdk-lib creates.
    const stack = Stack.of(this);
    const schedulerRole = stack.node.children.find((c) => c.node.id.startsWith('SchedulerRoleForTarget'));
    if (schedulerRole) {
      const functionId = stack.getLogicalId(this.scheduleFunction.fn.node.defaultChild as lambda.CfnFunction);
      Validations.of(schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason: "EventBridge Scheduler's Lambda target may invoke the schedule function and its versions (ARN:*); it reaches no other function.",
      });
    }
  }
}
