import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { INPUT_FILTERS } from '../shared/partnerships/input-key.ts';
import { SCHEDULE_HOUR, SCHEDULE_TIME_ZONE } from '../shared/statements/schedule.ts';
import { PbrFunction } from './pbr-function.ts';

/** S3 prefixes the functions may read from and write to. */
export const REPORTS_PREFIX = 'reports/';
export const RESULTS_PREFIX = 'results/';
export const STATEMENTS_PREFIX = 'statements/';

/**
 * The whole pipeline: timesheets land in the data bucket under `reports/`, the ingest
 * function computes weekly hours into the table and writes validation JSON under `results/`;
 * contracts and rosters are validated on arrival; on the 1st of each month a schedule fans
 * out one recalculation per partnership over an SQS queue, which publishes statements.
 * Stateful resources are retained on stack deletion; each role only reaches what it needs.
 */
export class PbrStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly pseudonymKey: secretsmanager.Secret;
  readonly ingestFunction: PbrFunction;
  readonly failureQueue: sqs.Queue;
  readonly acceptInputFunction: PbrFunction;
  readonly recalculationQueue: sqs.Queue;
  readonly recalculateFunction: PbrFunction;
  readonly scheduleFunction: PbrFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // log delivery only supports SSE-S3
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log target bucket; logging it into itself would loop and another log bucket adds nothing.',
    });

    this.bucket = new s3.Bucket(this, 'Data', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.pseudonymKey = new secretsmanager.Secret(this, 'PseudonymKey', {
      description: 'HMAC key used to pseudonymise CPR numbers',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pseudonymKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotation is deliberately off: a new HMAC key would change every participant pseudonym and break the join between months.',
    });

    this.failureQueue = new sqs.Queue(this, 'IngestFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination for failed async ingest invocations.',
    });

    this.ingestFunction = new PbrFunction(this, 'Ingest', {
      entry: 'functions/ingest-report/handler.ts',
      description: 'Ingest monthly timesheets into weekly hours',
      timeout: Duration.minutes(5),
      environment: {
        TABLE_NAME: this.table.tableName,
        BUCKET_NAME: this.bucket.bucketName,
        PSEUDONYM_SECRET_ARN: this.pseudonymKey.secretArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    // DynamoHoursStore calls Get, Query, Put, BatchWrite (puts and stale deletes) and
    // TransactWrite, which IAM authorises per item (its items are conditional Puts).
    this.allow(this.ingestFunction, {
      read: [REPORTS_PREFIX],
      write: [RESULTS_PREFIX],
      table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
      secret: true,
    });

    this.ingestFunction.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failureQueue),
    });

    const target = new LambdaDestination(this.ingestFunction.fn);
    for (const suffix of ['.csv', '.xlsx']) {
      this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, target, { prefix: REPORTS_PREFIX, suffix });
    }

    this.acceptInputFunction = new PbrFunction(this, 'AcceptInput', {
      entry: 'functions/accept-input/handler.ts',
      description: 'Validate uploaded contracts and rosters',
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: this.table.tableName, PSEUDONYM_SECRET_ARN: this.pseudonymKey.secretArn },
    });
    this.acceptInputFunction.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.failureQueue) });
    this.allow(this.acceptInputFunction, {
      read: INPUT_FILTERS.map(({ prefix }) => prefix),
      table: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      secret: true,
    });
    for (const { prefix, suffix } of INPUT_FILTERS) {
      this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(this.acceptInputFunction.fn), { prefix, suffix });
    }
    this.acknowledgeNotificationsHandler();

    const recalculationDeadLetters = new sqs.Queue(this, 'RecalculationDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(recalculationDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the recalculation queue.',
    });
    this.recalculateFunction = new PbrFunction(this, 'RecalculateStatement', {
      entry: 'functions/recalculate-statement/handler.ts',
      description: 'Recalculate one partnership statement (outcomes, savings, projection)',
      timeout: Duration.minutes(5),
      environment: { TABLE_NAME: this.table.tableName, BUCKET_NAME: this.bucket.bucketName, STATEMENT_RUNS: '1000' },
    });
    this.recalculationQueue = new sqs.Queue(this, 'RecalculationQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(30), // six times the function timeout, as Lambda advises
      deadLetterQueue: { queue: recalculationDeadLetters, maxReceiveCount: 3 },
    });
    this.recalculateFunction.fn.addEventSource(new SqsEventSource(this.recalculationQueue, { batchSize: 5, reportBatchItemFailures: true }));
    this.allow(this.recalculateFunction, { write: [STATEMENTS_PREFIX], table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'] });

    this.scheduleFunction = new PbrFunction(this, 'ScheduleRecalculation', {
      entry: 'functions/schedule-recalculation/handler.ts',
      description: 'Queue one statement recalculation per partnership',
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: this.table.tableName, QUEUE_URL: this.recalculationQueue.queueUrl },
    });
    this.allow(this.scheduleFunction, { table: ['dynamodb:Query'] });
    this.recalculationQueue.grantSendMessages(this.scheduleFunction.role);
    new scheduler.Schedule(this, 'MonthlyRecalculation', {
      description: `Recalculate every statement as of the previous month, on the 1st at ${SCHEDULE_HOUR}:00 ${SCHEDULE_TIME_ZONE}`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(SCHEDULE_HOUR), day: '1', timeZone: TimeZone.of(SCHEDULE_TIME_ZONE) }),
      target: new schedulerTargets.LambdaInvoke(this.scheduleFunction.fn, { input: scheduler.ScheduleTargetInput.fromObject({}), retryAttempts: 3 }),
    });
    const schedulerRole = this.node.children.find((c) => c.node.id.startsWith('SchedulerRoleForTarget'));
    if (schedulerRole) {
      const functionId = this.getLogicalId(this.scheduleFunction.fn.node.defaultChild as lambda.CfnFunction);
      Validations.of(schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason: "EventBridge Scheduler's Lambda target may invoke the schedule function and its versions (ARN:*); it reaches no other function.",
      });
    }

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingestFunction.fn.functionName });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
    new CfnOutput(this, 'RecalculationQueueUrl', { value: this.recalculationQueue.queueUrl });
  }

  /**
   * Explicit least-privilege statements (the grant* helpers would cover the whole
   * bucket and more table actions): object reads under `read` prefixes, writes
   * under `write` prefixes, the named table actions, the pseudonym secret.
   */
  private allow(fn: PbrFunction, access: { read?: string[]; write?: string[]; table: string[]; secret?: boolean }): void {
    const statements: iam.PolicyStatement[] = [];
    if (access.read?.length) {
      statements.push(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: access.read.map((p) => this.bucket.arnForObjects(`${p}*`)) }));
    }
    if (access.write?.length) {
      statements.push(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: access.write.map((p) => this.bucket.arnForObjects(`${p}*`)) }));
    }
    statements.push(new iam.PolicyStatement({ actions: access.table, resources: [this.table.tableArn] }));
    if (access.secret) statements.push(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.pseudonymKey.secretArn] }));
    for (const statement of statements) fn.role.addToPrincipalPolicy(statement);

    const bucketId = this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    for (const prefix of [...(access.read ?? []), ...(access.write ?? [])]) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Object-level access limited to the ${prefix} prefix; object keys vary by partnership (and month), so they cannot be listed in advance.`,
      });
    }
  }

  /** The CDK-internal singleton that configures S3 notifications at deploy time; not our code to change. */
  private acknowledgeNotificationsHandler(): void {
    const handler = this.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (!handler) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-internal BucketNotificationsHandler: aws-cdk-lib creates its role with the basic execution managed policy and offers no way to replace it.',
    });
  }
}
