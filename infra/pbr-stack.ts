import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps, Validations } from 'aws-cdk-lib';
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
import { PortalApi } from './api.ts';
import { PbrFunction, REPO_ROOT } from './pbr-function.ts';
import { Portal } from './portal.ts';

/** S3 prefixes the functions may read from and write to. */
export const REPORTS_PREFIX = 'reports/';
export const RESULTS_PREFIX = 'results/';
export const STATEMENTS_PREFIX = 'statements/';

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
