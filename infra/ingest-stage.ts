import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { REPORT_FILTERS, REPORTS_PREFIX } from '../shared/uploads/report-key.ts';
import { PbrFunction } from './pbr-function.ts';
import { PipelineStage } from './pipeline-stage.ts';
import type { Storage } from './storage.ts';
import { RESULTS_PREFIX } from '../shared/ingest/ingest-report.ts';

/** Where the ingest writes each version's validation result (shared/ingest resultKey). */

/**
 * Stage 1, timesheets → weekly hours: S3 notifications for `reports/*.csv|.xlsx`
 * invoke the ingest function, which writes weekly hours to the table and the
 * validation result under `results/`. An event that still fails after its
 * retries goes to the failure function, which records a `failed` status per
 * object (no upload without a status) and forwards the event to the failure
 * queue; if that fails too, its own retries, then the queue directly. The failure
 * function is also the inputs stage's destination.
 */
export class IngestStage extends PipelineStage {
  readonly ingestFunction: PbrFunction;
  readonly failureFunction: PbrFunction;
  readonly failureQueue: sqs.Queue;

  constructor(scope: Construct, id: string, storage: Storage) {
    super(scope, id);

    this.failureQueue = new sqs.Queue(this, 'IngestFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination for failed async ingest invocations.',
    });

    this.failureFunction = new PbrFunction(this, 'RecordIngestFailure', {
      entry: 'functions/record-ingest-failure/handler.ts',
      description: 'Record a failed status for uploads whose processing ran out of retries',
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: storage.table.tableName, FAILURE_QUEUE_URL: this.failureQueue.queueUrl },
      // Its destination grants the role sqs:SendMessage on the queue: all the handler needs to forward the event too.
      onFailure: this.failureQueue,
    });
    // Memory: PbrFunction's 1024 MB, kept. Reading the largest report measured (1M rows,
    // one month, ~250,000 participant-weeks; BENCHMARKS.md, "Ingest benchmark") peaks at
    // ~135 MiB for the whole `pbr hours` process, which reads with the same code (Node alone:
    // 43 MiB). Here an S3 stream's chunks are fresh buffers that may add up to the file's
    // size (~40 MB) before a collection, and the handler holds that report's DynamoDB put
    // requests (one object per participant-week) and the AWS SDK, not measured apart: 512 MB
    // would leave little headroom for a report that size, 1024 MB leaves ~5× the reader's
    // peak. Lambda gives CPU in proportion to memory and the ingest is CPU-bound: less would
    // be slower.
    this.ingestFunction = new PbrFunction(this, 'Ingest', {
      entry: 'functions/ingest-report/handler.ts',
      description: 'Ingest monthly timesheets into weekly hours',
      timeout: Duration.minutes(5),
      environment: { TABLE_NAME: storage.table.tableName, BUCKET_NAME: storage.bucket.bucketName, PSEUDONYM_SECRET_ARN: storage.pseudonymKey.secretArn },
      onFailure: this.failureFunction,
    });
    // DynamoHoursStore calls Get, Query, Put, BatchWrite (puts and stale deletes) and
    // TransactWrite, which IAM authorises per item (its items are conditional Puts).
    storage.grant(this.ingestFunction, {
      read: [REPORTS_PREFIX],
      write: [RESULTS_PREFIX],
      table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
      secret: true,
    });
    // Reads the current version pointer, puts one conditional status item (or a rejected upload's), rewrites the result object.
    storage.grant(this.failureFunction, { write: [RESULTS_PREFIX], table: ['dynamodb:GetItem', 'dynamodb:PutItem'] });
    storage.notify(this.ingestFunction, REPORT_FILTERS);
  }
}
