import middy from '@middy/core';
import { z } from 'zod';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { environmentPseudonymiser } from '../../shared/adapters/pseudonym-key.ts';
import { DynamoRejectedUploads } from '../../shared/adapters/dynamodb-rejected-uploads.ts';
import { S3DataBucket } from '../../shared/adapters/s3-data-bucket.ts';
import { acceptInput } from '../../shared/partnerships/accept-input.ts';
import { observability } from '../middleware/observability.ts';
import { parseEvent } from '../middleware/parse-event.ts';
import { recalculationTrigger } from '../recalculation-trigger.ts';
import { forEachCreatedObject, s3Event } from '../s3-notification.ts';

const env = z.object({ TABLE_NAME: z.string().min(1) }).parse(process.env);
const { log, middleware } = await observability('accept-input');
const s3 = createS3Client();
const documents = createDocumentClient();
const store = new DynamoPartnershipStore(documents, env.TABLE_NAME);
const recalculations = recalculationTrigger();
const rejectedUploads = new DynamoRejectedUploads(documents, env.TABLE_NAME);

/** S3 notification for `contracts/P.json` or `rosters/P.csv` → validated and stored (spec 4–5). */
export const handler = middy()
  .use(middleware)
  .use(parseEvent(s3Event))
  .handler<unknown>(async (event) => {
    const pseudonymise = await environmentPseudonymiser();
    return forEachCreatedObject(event, log, (bucket, notice) =>
      acceptInput(notice, { bucket: new S3DataBucket(s3, bucket), store, rejectedUploads, pseudonymise, log, recalculations }));
  });
