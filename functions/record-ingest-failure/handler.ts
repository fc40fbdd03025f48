import middy from '@middy/core';
import { z } from 'zod';
import { createDocumentClient, createS3Client, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { DynamoRejectedUploads } from '../../shared/adapters/dynamodb-rejected-uploads.ts';
import { S3DataBucket } from '../../shared/adapters/s3-data-bucket.ts';
import { SqsQueue } from '../../shared/adapters/sqs-queue.ts';
import { failureReason, recordIngestFailure, type FailureDependencies } from '../../shared/ingest/ingest-failure.ts';
import { observability } from '../middleware/observability.ts';
import { parseEvent } from '../middleware/parse-event.ts';
import { forEachCreatedObject, s3Event } from '../s3-notification.ts';

/**
 * The event Lambda sends to an asynchronous invocation's on-failure destination.
 * Kept whole beside the parsed fields (`raw`): it is what the failure queue keeps.
 */
const destinationEvent = z.unknown().transform((raw, context) => {
  const parsed = z
    .object({
      requestContext: z.object({
        condition: z.string(),
        approximateInvokeCount: z.number().int().nonnegative(),
      }),
      requestPayload: s3Event,
      responsePayload: z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() }).nullish(),
    })
    .safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return { ...parsed.data, raw };
});

const env = z.object({ TABLE_NAME: z.string().min(1), FAILURE_QUEUE_URL: z.string().url().optional() }).parse(process.env);
const { log, middleware } = await observability('record-ingest-failure');
const documents = createDocumentClient();
const s3 = createS3Client();
const failureQueue = env.FAILURE_QUEUE_URL ? new SqsQueue(createSqsClient(), env.FAILURE_QUEUE_URL) : undefined;
const stores = {
  hours: new DynamoHoursStore(documents, env.TABLE_NAME),
  partnerships: new DynamoPartnershipStore(documents, env.TABLE_NAME),
  rejectedUploads: new DynamoRejectedUploads(documents, env.TABLE_NAME),
  log,
};

/**
 * On-failure destination of the ingest and accept-input functions (after their
 * retries), and called by the local stack when its retries run out: stores a
 * `failed` status per object, with a reason a person can act on, unless that
 * version already has one (see recordIngestFailure); then forwards the event to
 * the failure queue (FAILURE_QUEUE_URL; unset locally, where the stack keeps its
 * own pending events), so it is kept for a replay. If this fails too, its own
 * retries run and then the event goes straight to the failure queue.
 */
export const handler = middy()
  .use(middleware)
  .use(parseEvent(destinationEvent))
  .handler<unknown>(async (event) => {
    const { requestContext, requestPayload, responsePayload, raw } = event;
    const failure = {
      condition: requestContext.condition,
      attempts: requestContext.approximateInvokeCount,
      errorType: responsePayload?.errorType,
      errorMessage: responsePayload?.errorMessage,
    };
    const outcomes = await forEachCreatedObject(requestPayload, log, (bucket, notice) => {
      const deps: FailureDependencies = { ...stores, results: new S3DataBucket(s3, bucket) };
      return recordIngestFailure(notice, failureReason(failure, notice.sequencer), deps);
    });
    await failureQueue?.send(raw);
    return outcomes;
  });
