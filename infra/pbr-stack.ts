import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { PbrFunction } from './pbr-function.ts';

/** S3 prefixes the ingest function may read from and write to. */
export const REPORTS_PREFIX = 'reports/';
export const RESULTS_PREFIX = 'results/';

/**
 * The whole pipeline: timesheets land in the data bucket under `reports/`, the ingest
 * function computes weekly hours into the table and writes validation JSON under `results/`.
 * Stateful resources are retained on stack deletion; the ingest role only reaches what it needs.
 */
export class PbrStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly pseudonymKey: secretsmanager.Secret;
  readonly ingestFunction: PbrFunction;
  readonly failureQueue: sqs.Queue;

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
    this.grantIngest(this.ingestFunction.role);

    this.ingestFunction.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failureQueue),
    });

    const target = new LambdaDestination(this.ingestFunction.fn);
    for (const suffix of ['.csv', '.xlsx']) {
      this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, target, { prefix: REPORTS_PREFIX, suffix });
    }
    this.acknowledgeNotificationsHandler();

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingestFunction.fn.functionName });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
  }

  /** Explicit statements: the grant* helpers would cover the whole bucket and more table actions. */
  private grantIngest(role: iam.IRole): void {
    const statements = [
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
      }),
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${RESULTS_PREFIX}*`)],
      }),
      new iam.PolicyStatement({
        // What DynamoHoursStore calls: Get, Query, Put, BatchWrite (puts and stale deletes) and
        // TransactWrite, which IAM authorises per item (its items are conditional Puts).
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
      }),
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.pseudonymKey.secretArn],
      }),
    ];
    for (const statement of statements) role.addToPrincipalPolicy(statement);

    const bucketId = this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    for (const prefix of [REPORTS_PREFIX, RESULTS_PREFIX]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Object-level access limited to the ${prefix} prefix; object keys are per partnership and month, so they cannot be listed in advance.`,
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
