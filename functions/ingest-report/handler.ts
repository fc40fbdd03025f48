import middy from '@middy/core';
import { z } from 'zod';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { loadPseudonymKey } from '../../shared/adapters/pseudonym-key.ts';
import { S3ReportBucket } from '../../shared/adapters/s3-report-bucket.ts';
import { ingestReport, type IngestOutcome } from '../../shared/ingest/ingest-report.ts';
import { createLogger } from '../../shared/logger.ts';
import { createPseudonymiser } from '../../shared/timesheets/pseudonym.ts';
import { parseEvent } from '../middleware/parse-event.ts';

/** Object keys in S3 notifications are URL-encoded with `+` for spaces. */
const decodedKey = z.string().transform((key) => decodeURIComponent(key.replace(/\+/g, ' ')));

const s3Event = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string().min(1) }),
        object: z.object({ key: decodedKey, versionId: z.string().optional(), sequencer: z.string() }),
      }),
    }),
  ),
});
type S3Event = z.infer<typeof s3Event>;

const env = z.object({ TABLE_NAME: z.string().min(1) }).parse(process.env);
const s3 = createS3Client();
const store = new DynamoHoursStore(createDocumentClient(), env.TABLE_NAME);
const log = createLogger('ingest-report');
let pseudonymiser: Promise<(participant: string) => string> | undefined;

/**
 * Ingests every report an S3 notification names. All records are attempted; if
 * any failed, the invocation fails afterwards so Lambda retries it (each record is
 * idempotent) and, in the end, sends it to the failure queue.
 */
async function ingestReports(event: S3Event): Promise<Record<string, IngestOutcome>> {
  pseudonymiser ??= loadPseudonymKey().then(createPseudonymiser);
  const pseudonymise = await pseudonymiser;
  const outcomes: Record<string, IngestOutcome> = {};
  const failures: unknown[] = [];
  for (const { eventName, s3: { bucket, object } } of event.Records) {
    if (!eventName.startsWith('ObjectCreated:')) continue;
    try {
      const deps = { bucket: new S3ReportBucket(s3, bucket.name), store, pseudonymise, log };
      outcomes[object.key] = await ingestReport(object, deps);
    } catch (error) {
      log.error('ingest failed; the invocation will be retried', { key: object.key, error: String(error) });
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} report(s) failed to ingest`);
  return outcomes;
}

export const handler = middy<unknown, Record<string, IngestOutcome>>()
  .use(parseEvent(s3Event))
  .handler((event) => ingestReports(event as S3Event));
