import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaDestination as FunctionDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { INPUT_FILTERS, inputPrefix } from '../shared/partnerships/input-key.ts';
import { SCHEDULE_HOUR, SCHEDULE_TIME_ZONE } from '../shared/statements/schedule.ts';
import { PortalApi } from './api.ts';
import { PbrFunction, REPO_ROOT } from './pbr-function.ts';
import { Portal } from './portal.ts';

/** S3 prefixes the functions may read from and write to. */
export const REPORTS_PREFIX = 'reports/';
export const RESULTS_PREFIX = 'results/';
export const STATEMENTS_PREFIX = 'statements/';
/**
 * CDK context key: days a raw report is kept after its upload (default 5 years).
 * Danish bookkeeping law (bogføringsloven) keeps the material behind a payment
 * for 5 years after the financial year, and partnerships are audited on the
 * reports; data minimisation (GDPR art. 5(1)(c), (e)) says not a day longer:
 * the weekly hours derived from them stay in the table, pseudonymised.
 */
export const RAW_REPORT_RETENTION_CONTEXT = 'rawReportRetentionDays';
export const DEFAULT_RAW_REPORT_RETENTION_DAYS = 1826;
/**
 * Days a replaced version of a raw upload (a correction's predecessor) is kept:
 * long enough to look into a dispute about the correction or replay a failed
 * event (the failure queue keeps events 14 days), short enough that corrected
 * CPR numbers do not linger.
 */
export const NONCURRENT_VERSION_DAYS = 30;
/** Parts of an upload that never completed (they hold raw data too). */
const INCOMPLETE_UPLOAD_DAYS = 7;

/** The portal's static files, deployed with a generated config.json. */
export const PORTAL_DIR = join(REPO_ROOT, 'portal');
/** Context key for the Cognito hosted UI domain prefix (unique per region); default `pbr-<account id>`. */
export const AUTH_DOMAIN_PREFIX_CONTEXT = 'pbr:authDomainPrefix';

/**
 * The whole pipeline: timesheets land in the data bucket under `reports/`, the ingest
 * function computes weekly hours into the table and writes validation JSON under `results/`;
 * contracts and rosters are validated on arrival; on the 1st of each month a schedule fans
 * out one recalculation per partnership over an SQS queue, which publishes statements.
 * The portal (S3 behind CloudFront) signs users in with Cognito and calls the HTTP API,
 * which checks their token and reads statements and hours; uploads go straight to S3.
 * Stateful resources are retained on stack deletion; each role only reaches what it needs.
 */
export class PbrStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly pseudonymKey: secretsmanager.Secret;
  readonly ingestFunction: PbrFunction;
  readonly failureQueue: sqs.Queue;
  readonly failureFunction: PbrFunction;
  readonly acceptInputFunction: PbrFunction;
  readonly recalculationQueue: sqs.Queue;
  readonly recalculateFunction: PbrFunction;
  readonly scheduleFunction: PbrFunction;
  readonly portal: Portal;
  readonly api: PortalApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // log delivery only supports SSE-S3
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs; S3 server access logs use the bucket policy.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
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
      lifecycleRules: this.rawDataLifecycle(),
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

    // No upload without a status: once an event's retries are exhausted, the failure
    // function records a `failed` status per object and forwards the event to the
    // failure queue; if that fails too, its own retries, then the queue directly.
    this.failureFunction = new PbrFunction(this, 'RecordIngestFailure', {
      entry: 'functions/record-ingest-failure/handler.ts',
      description: 'Record a failed status for uploads whose processing ran out of retries',
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: this.table.tableName, FAILURE_QUEUE_URL: this.failureQueue.queueUrl },
    });
    // The SQS destination grants the role sqs:SendMessage (and GetQueueAttributes, GetQueueUrl) on the
    // failure queue, which is all the handler needs to forward the event too.
    this.failureFunction.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.failureQueue) });
    // Reads the current version pointer, puts one conditional status item (or a rejected upload's), rewrites the result object.
    this.allow(this.failureFunction, { write: [RESULTS_PREFIX], table: ['dynamodb:GetItem', 'dynamodb:PutItem'] });

    this.ingestFunction.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new FunctionDestination(this.failureFunction.fn),
    });
    this.acknowledgeFailureDestination(this.ingestFunction);

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
    this.acceptInputFunction.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new FunctionDestination(this.failureFunction.fn) });
    this.acknowledgeFailureDestination(this.acceptInputFunction);
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

    const domainPrefix: string = this.node.tryGetContext(AUTH_DOMAIN_PREFIX_CONTEXT) ?? `pbr-${Aws.ACCOUNT_ID}`;
    const authUrl = `https://${domainPrefix}.auth.${this.region}.amazoncognito.com`;
    this.portal = new Portal(this, 'Portal', {
      accessLogs,
      // Exact origins would make a cycle (the API and the data bucket name the portal origin for CORS).
      connectSources: [`https://*.execute-api.${this.region}.amazonaws.com`, `https://*.s3.${this.region}.amazonaws.com`, authUrl],
    });
    this.api = new PortalApi(this, 'Api', {
      table: this.table,
      bucket: this.bucket,
      portalUrl: this.portal.url,
      domainPrefix,
      // Reads statements and hours; signs PUT URLs for timesheets (a presigned URL carries the signer's rights).
      grant: (fn) => this.allow(fn, { write: [REPORTS_PREFIX], table: ['dynamodb:GetItem', 'dynamodb:Query'] }),
    });
    // Browsers PUT timesheets to presigned URLs straight from the portal.
    this.bucket.addCorsRule({
      allowedOrigins: [this.portal.url],
      allowedMethods: [s3.HttpMethods.PUT],
      allowedHeaders: ['content-type'],
      exposedHeaders: ['etag'],
      maxAge: 3600,
    });
    // Guarded so that synth still works in a checkout without portal/ (the bucket then stays empty).
    if (existsSync(PORTAL_DIR)) {
      this.portal.deploy(PORTAL_DIR, {
        auth: 'cognito',
        apiUrl: this.api.url,
        cognito: { region: this.region, userPoolId: this.api.userPool.userPoolId, clientId: this.api.client.userPoolClientId, domain: this.api.domain.baseUrl(), tokenUse: 'id' },
      });
    } else {
      Annotations.of(this.portal).addWarningV2('pbr:portal-missing', `${PORTAL_DIR} not found: the portal bucket is deployed empty.`);
    }

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingestFunction.fn.functionName });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
    new CfnOutput(this, 'RecalculationQueueUrl', { value: this.recalculationQueue.queueUrl });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'PortalUrl', { value: this.portal.url });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.client.userPoolClientId });
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

  /**
   * Lifecycle of raw uploads, which hold CPR numbers by nature (deliverable 9):
   * replaced versions of reports and rosters expire after NONCURRENT_VERSION_DAYS,
   * raw reports after the configurable retention (then their delete marker is
   * cleaned up once the last version is gone), unfinished multipart uploads after a week.
   */
  private rawDataLifecycle(): s3.LifecycleRule[] {
    const configured = this.node.tryGetContext(RAW_REPORT_RETENTION_CONTEXT) ?? DEFAULT_RAW_REPORT_RETENTION_DAYS;
    const retentionDays = Number(configured);
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`context ${RAW_REPORT_RETENTION_CONTEXT} must be a whole number of days ≥ 1`);
    }
    return [
      {
        id: 'RawReports',
        prefix: REPORTS_PREFIX,
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS),
      },
      // S3 allows no delete-marker clean-up in a rule that expires current versions.
      { id: 'RawReportDeleteMarkers', prefix: REPORTS_PREFIX, expiredObjectDeleteMarker: true },
      {
        id: 'RawRosters',
        prefix: inputPrefix('roster'), // rosters list participants by CPR number, like the reports
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS),
      },
    ];
  }

  /** LambdaDestination grants the source function's role lambda:InvokeFunction on the failure function and its versions. */
  private acknowledgeFailureDestination(source: PbrFunction): void {
    const failureId = this.getLogicalId(this.failureFunction.fn.node.defaultChild as lambda.CfnFunction);
    Validations.of(source.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${failureId}.Arn>:*]`,
      reason: 'The on-failure destination may invoke the failure-recording function and its versions (ARN:*); it reaches no other function.',
    });
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
