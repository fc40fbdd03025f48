import { z } from 'zod';
import type { ReportNotice } from '../shared/ingest/ingest-report.ts';
import type { Logger } from '../shared/logger.ts';

/** Object keys in S3 notifications are URL-encoded with `+` for spaces. */
const decodedKey = z.string().transform((key) => decodeURIComponent(key.replace(/\+/g, ' ')));

/** The part of an S3 event notification the handlers use. */
export const s3Event = z.object({
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
export type S3Event = z.infer<typeof s3Event>;

/**
 * Runs `handle` for every object-created record. All records are attempted; if
 * any failed, it throws afterwards so Lambda retries the invocation (each record
 * is idempotent) and, in the end, sends it to the failure destination.
 */
export async function forEachCreatedObject<T>(
  event: S3Event,
  log: Logger,
  handle: (bucket: string, notice: ReportNotice) => Promise<T>,
): Promise<Record<string, T>> {
  const outcomes: Record<string, T> = {};
  const failures: unknown[] = [];
  for (const { eventName, s3 } of event.Records) {
    if (!eventName.startsWith('ObjectCreated:')) continue;
    try {
      outcomes[s3.object.key] = await handle(s3.bucket.name, s3.object);
    } catch (error) {
      log.error('processing failed; the invocation will be retried', { key: s3.object.key, error: String(error) });
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} object(s) failed`);
  return outcomes;
}
