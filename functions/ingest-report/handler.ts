import middy from '@middy/core';
import { z } from 'zod';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { environmentPseudonymiser } from '../../shared/adapters/pseudonym-key.ts';
import { DynamoRejectedUploads } from '../../shared/adapters/dynamodb-rejected-uploads.ts';
import { S3DataBucket } from '../../shared/adapters/s3-data-bucket.ts';
import { ingestReport } from '../../shared/ingest/ingest-report.ts';
import { observability } from '../middleware/observability.ts';
import { parseEvent } from '../middleware/parse-event.ts';
import { recalculationTrigger } from '../recalculation-trigger.ts';
import { forEachCreatedObject, s3Event } from '../s3-notification.ts';

const env = z.object({ TABLE_NAME: z.string().min(1) }).parse(process.env);
const { log, metrics, events, middleware } = await observability('ingest-report');
const s3 = createS3Client();
const documents = createDocumentClient();
const store = new DynamoHoursStore(documents, env.TABLE_NAME);
const recalculations = recalculationTrigger();
const rejectedUploads = new DynamoRejectedUploads(documents, env.TABLE_NAME);

/** S3 notification for `reports/…` → weekly hours in DynamoDB (spec 2–3). */
export const handler = middy()
  .use(middleware)
  .use(parseEvent(s3Event))
  .handler<unknown>(async (event) => {
    const pseudonymise = await environmentPseudonymiser();
    return forEachCreatedObject(event, log, (bucket, notice) =>
      ingestReport(notice, { bucket: new S3DataBucket(s3, bucket), store, rejectedUploads, pseudonymise, log, recalculations, metrics, events }));
  });
