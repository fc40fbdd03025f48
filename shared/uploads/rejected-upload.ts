import { createHash } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { readInputKey } from './input-key.ts';
import { normaliseSequencer, type ReportNotice } from './notice.ts';
import type { RejectedUpload, RejectedUploadStore } from './ports.ts';
import { readReportKey, REPORTS_PREFIX, type KeyReading } from './report-key.ts';

/** First 16 hex characters of SHA-256 of a key: names an upload without repeating its key. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
}

/**
 * How a key may appear in logs and outputs: itself when it is a valid report,
 * contract or roster key (their identifiers are never personal data, spec 2.4),
 * else only its digest.
 */
export function loggableKey(key: string): { key: string } | { keyDigest: string } {
  const reading = key.startsWith(REPORTS_PREFIX) ? readReportKey(key) : readInputKey(key);
  return reading.ok ? { key } : { keyDigest: keyDigest(key) };
}

/**
 * Records an upload whose key could not be read as rejected, naming the problem
 * and the key's digest (never the key), and logs the same. Idempotent per version.
 */
export async function rejectUpload(
  notice: ReportNotice,
  reading: Extract<KeyReading<object>, { ok: false }>,
  deps: { rejectedUploads: RejectedUploadStore; log: Logger; now?: () => Date },
): Promise<'rejected'> {
  const upload: RejectedUpload = {
    ...(reading.partnership === undefined ? {} : { partnership: reading.partnership }),
    keyDigest: keyDigest(notice.key),
    versionId: notice.versionId,
    sequencer: normaliseSequencer(notice.sequencer),
    processedAt: (deps.now?.() ?? new Date()).toISOString(),
    outcome: 'rejected',
    reason: `the file's name or folder cannot be used: ${reading.problem}; upload it again under a valid name`,
  };
  await deps.rejectedUploads.recordRejectedUpload(upload);
  deps.log.warn('upload rejected: its key is not valid', { keyDigest: upload.keyDigest, partnership: upload.partnership, sequencer: upload.sequencer, reason: upload.reason });
  return 'rejected';
}
