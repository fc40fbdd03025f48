import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** What s3rver emits on an upload (a simplified S3 event with an unencoded key). */
export interface S3rverEvent {
  Records: {
    eventName: string;
    eventTime: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

/** An S3 notification filter: one prefix and one suffix, as the CDK stack configures them (shared/uploads REPORT_FILTERS, INPUT_FILTERS). */
export interface NotificationFilter {
  prefix: string;
  suffix: string;
}

/** S3 URL-encodes keys in notifications, with `+` for spaces and `/` kept. */
export function encodeNotificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** The notification S3 sends to a function: what the local stack journals and delivers. */
export type S3Notification = NonNullable<ReturnType<ReturnType<typeof createNotificationShaper>>>;

/** Sequencers are 18 upper-case hex digits, so their string order is their numeric order. */
const SEQUENCER_DIGITS = 18;

/** A new random object version id, like the ones S3 gives a versioned bucket's objects. */
const newVersionId = () => randomBytes(16).toString('base64url');

/**
 * Turns s3rver's events into the notifications real S3 would send to a function
 * subscribed with `filters`: only object-created events whose key matches a filter
 * (s3rver ignores filters), URL-encoded keys, a version id (the one the PUT answered
 * with, when given; s3rver has no versioning) and a sequencer that grows strictly,
 * also across restarts: it continues after `after`, the last one handed out before.
 */
export function createNotificationShaper(region: string, after?: string) {
  let last = after ? BigInt(`0x${after}`) : 0n;
  const nextSequencer = () => {
    const now = BigInt(Date.now()) << 16n;
    last = now > last ? now : last + 1n;
    return last.toString(16).toUpperCase().padStart(SEQUENCER_DIGITS, '0');
  };
  return (event: S3rverEvent, filters: readonly NotificationFilter[], versionId?: string) => {
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
          versionId: versionId ?? newVersionId(),
          sequencer: nextSequencer(),
        },
      },
    }));
    return records.length > 0 ? { Records: records } : undefined;
  };
}

/** What one s3rver request that writes an object shares with the 'event' listener. */
export interface ObjectWrite {
  /** The version id the PUT answers with and its notification carries. */
  versionId: string;
  /** Set by the listener when the request created an object. */
  created: boolean;
  /** Journal writes the response waits for: once S3 says 200, the notification is not lost. */
  persisting: Promise<unknown>[];
}

/** The part of a Koa context the middleware uses. */
interface KoaContext {
  set(name: string, value: string): void;
}

/**
 * Version ids for s3rver, which has none: a Koa middleware, to be put first in
 * s3rver's chain, gives each request a version id that the 'event' listener (called
 * inside the request) finds through `current()`, holds the response until the
 * listener's journal writes are done, and answers `x-amz-version-id` when an object
 * was created, so a PUT learns the version id its notification and status carry.
 */
export function createVersionedWrites() {
  const writes = new AsyncLocalStorage<ObjectWrite>();
  return {
    middleware: async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
      const write: ObjectWrite = { versionId: newVersionId(), created: false, persisting: [] };
      await writes.run(write, next);
      await Promise.all(write.persisting);
      if (write.created) ctx.set('x-amz-version-id', write.versionId);
    },
    /** The write of the request being handled, inside s3rver's 'event' listener. */
    current: (): ObjectWrite | undefined => writes.getStore(),
  };
}
