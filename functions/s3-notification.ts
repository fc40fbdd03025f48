import { z } from 'zod';
import { describeError, ObjectsFailedError, type ObjectFailure } from '../shared/ingest/ingest-failure.ts';
import type { ReportNotice } from '../shared/uploads/notice.ts';
import { loggableKey } from '../shared/uploads/rejected-upload.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * Object keys in S3 notifications are URL-encoded with `+` for spaces. A key that
 * does not decode is kept as it came: it then fails key validation like any other
 * invalid key and is recorded as a rejected upload, rather than failing the event.
 */
const decodedKey = z.string().transform((key) => {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
});

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

/** First lines of a stack trace without the message line (which may quote a value). */
const stackFrames = (error: unknown) => (error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 8) : []);

/**
 * Runs `handle` for every object-created record. All records are attempted; if
 * any failed, it throws afterwards so Lambda retries the invocation (each record
 * is idempotent) and, in the end, sends it to the failure handler. Results and
 * logs name a key only when it is valid (else by its digest), and errors only
 * in safe words (describeError).
 */
export async function forEachCreatedObject<T>(
  event: S3Event,
  log: Logger,
  handle: (bucket: string, notice: ReportNotice) => Promise<T>,
): Promise<Record<string, T>> {
  const outcomes: Record<string, T> = {};
  const failures: ObjectFailure[] = [];
  for (const { eventName, s3 } of event.Records) {
    if (!eventName.startsWith('ObjectCreated:')) continue;
    const named = loggableKey(s3.object.key);
    try {
      outcomes['key' in named ? named.key : `sha256:${named.keyDigest}`] = await handle(s3.bucket.name, s3.object);
    } catch (error) {
      const reason = describeError(error);
      log.error('processing failed; the invocation will be retried', { ...named, sequencer: s3.object.sequencer, error: reason, at: stackFrames(error) });
      failures.push({ sequencer: s3.object.sequencer, reason });
    }
  }
  if (failures.length > 0) throw new ObjectsFailedError(failures);
  return outcomes;
}
