import { randomBytes } from 'node:crypto';
import { REPORTS_PREFIX } from '../shared/ingest/report-key.ts';
import { INPUT_FILTERS } from '../shared/partnerships/input-key.ts';

/** What s3rver emits on an upload (a simplified S3 event with an unencoded key). */
export interface S3rverEvent {
  Records: {
    eventName: string;
    eventTime: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

/** An S3 notification filter: one prefix and one suffix, as the CDK stack configures them. */
export interface NotificationFilter {
  prefix: string;
  suffix: string;
}

/** Timesheets go to the ingest function. */
export const REPORT_FILTERS: NotificationFilter[] = ['.csv', '.xlsx'].map((suffix) => ({ prefix: REPORTS_PREFIX, suffix }));
/** Contracts and rosters go to the input validation function. */
export { INPUT_FILTERS };

/** S3 URL-encodes keys in notifications, with `+` for spaces and `/` kept. */
export function encodeNotificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/**
 * Turns s3rver's events into the notifications real S3 would send to a function
 * subscribed with `filters`: only object-created events whose key matches a filter
 * (s3rver ignores filters), URL-encoded keys, and a version id and a sequencer
 * (s3rver has no versioning; sequencers here grow strictly per stack).
 */
export function createNotificationShaper(region: string) {
  let last = 0n;
  const nextSequencer = () => {
    const now = BigInt(Date.now()) << 16n;
    last = now > last ? now : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
  return (event: S3rverEvent, filters: readonly NotificationFilter[]) => {
    const records = event.Records.filter(({ eventName, s3 }) =>
      eventName.startsWith('ObjectCreated:') &&
      filters.some(({ prefix, suffix }) => s3.object.key.startsWith(prefix) && s3.object.key.endsWith(suffix)),
    ).map(({ eventName, eventTime, s3 }) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime,
      eventName,
      userIdentity: { principalId: 'AWS:LOCAL' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(), 'x-amz-id-2': 'local' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'ingest-reports',
        bucket: { name: s3.bucket.name, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${s3.bucket.name}` },
        object: {
          key: encodeNotificationKey(s3.object.key),
          size: s3.object.size ?? 0,
          eTag: s3.object.eTag ?? '',
          versionId: randomBytes(16).toString('base64url'),
          sequencer: nextSequencer(),
        },
      },
    }));
    return records.length > 0 ? { Records: records } : undefined;
  };
}
