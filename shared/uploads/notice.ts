/*
 * The version protocol every upload follows (spec 2.2), whether a report, a
 * contract or a roster: S3 says which object version arrived and in which order
 * (the sequencer); a newer version wins, a repeated or older notice changes nothing.
 */

/** One object-created notification, decoded: which key, which version, in which order. */
export interface ReportNotice {
  key: string;
  versionId?: string;
  sequencer: string;
}

/**
 * S3 sequencers grow per key but vary in length: left-padded to one width they
 * compare as strings, in code and in DynamoDB condition expressions alike.
 */
export function normaliseSequencer(sequencer: string): string {
  if (!/^[0-9A-Fa-f]{1,32}$/.test(sequencer)) throw new Error('not an S3 sequencer (1–32 hex digits)');
  return sequencer.toUpperCase().padStart(32, '0');
}

/**
 * Lambda retries a failed asynchronous invocation (an S3 notice) this many times
 * before it goes to the failure path; the local stack retries the same.
 */
export const ASYNC_RETRY_ATTEMPTS = 2;
