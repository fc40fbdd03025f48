import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { inputPrefix } from '../shared/uploads/input-key.ts';
import { REPORTS_PREFIX } from '../shared/uploads/report-key.ts';
import type { PbrFunction } from './pbr-function.ts';
import { PipelineStage } from './pipeline-stage.ts';

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

/** What a function may reach of the stored data (see {@link Storage.grant}). */
export interface DataAccess {
  /** Object reads (GetObject, GetObjectVersion) under these bucket prefixes. */
  readonly read?: string[];
  /** Object writes (PutObject) under these bucket prefixes. */
  readonly write?: string[];
  /** Exactly these table actions. */
  readonly table: string[];
  /** Reading the pseudonym key. */
  readonly secret?: boolean;
}

/**
 * Where the pipeline keeps its data, and the one place that hands out access to
 * it: the versioned data bucket (uploads in, results and statements out) with its
 * raw-data lifecycle, the access-log bucket, the DynamoDB table and the pseudonym
 * key. Every stateful resource is retained when the stack is deleted.
 */
export class Storage extends PipelineStage {
  readonly accessLogs: s3.Bucket;
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly pseudonymKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // log delivery only supports SSE-S3
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs; S3 server access logs use the bucket policy.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log target bucket; logging it into itself would loop and another log bucket adds nothing.',
    });

    this.bucket = new s3.Bucket(this, 'Data', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
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
  }

  /**
   * Explicit least-privilege statements (the grant* helpers would cover the whole
   * bucket and more table actions): object reads under `read` prefixes, writes
   * under `write` prefixes, the named table actions, the pseudonym secret.
   */
  grant(fn: PbrFunction, access: DataAccess): void {
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

    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    for (const prefix of [...(access.read ?? []), ...(access.write ?? [])]) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Object-level access limited to the ${prefix} prefix; object keys vary by partnership (and month), so they cannot be listed in advance.`,
      });
    }
  }

  /** Sends S3 notifications of objects created under `filters` (shared/uploads REPORT_FILTERS, INPUT_FILTERS) to `fn`, invoked asynchronously. */
  notify(fn: PbrFunction, filters: readonly { prefix: string; suffix: string }[]): void {
    const target = new LambdaDestination(fn.fn);
    for (const { prefix, suffix } of filters) this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, target, { prefix, suffix });
    this.acknowledgeNotificationsHandler();
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

  /** The CDK-internal singleton that configures S3 notifications at deploy time; not our code to change. */
  private acknowledgeNotificationsHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (!handler) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-internal BucketNotificationsHandler: aws-cdk-lib creates its role with the basic execution managed policy and offers no way to replace it.',
    });
  }
}
