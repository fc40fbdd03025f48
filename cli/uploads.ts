import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { identifierProblem } from '../shared/identifiers.ts';
import { InputError, UsageError, type Values } from './command.ts';

export interface Uploaded {
  key: string;
  versionId?: string;
  /** When the upload started: statuses processed after it belong to it (s3rver has no version ids). */
  started: string;
}

/** Streams a file to `s3://bucket/key`. */
export async function uploadFile(s3: S3Client, bucket: string, key: string, file: string): Promise<Uploaded> {
  const started = new Date().toISOString();
  const { size } = await stat(file);
  const response = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }));
  return { key, versionId: response.VersionId, started };
}

/** A file's MD5, hex: what S3 answers as the ETag of a single-part PUT, and what the load log records. */
export async function contentMd5(file: string): Promise<string> {
  return createHash('md5').update(await readFile(file)).digest('hex');
}

/** One upload the load log records: the key, the content's MD5 and the version S3 answered. */
export interface LoggedUpload extends Uploaded {
  md5: string;
}

/**
 * The log of a resumable load (JSON lines, one per finished PUT, appended as it
 * happens): what was uploaded to each key, in order. Holds keys and digests
 * only, never a file's content or name.
 */
export interface UploadLog {
  /** The versions uploaded to `key` so far, oldest first. */
  versions(key: string): readonly LoggedUpload[];
  append(upload: LoggedUpload): Promise<void>;
}

/** Reads the log at `file` (none yet: empty); appends go to the same file. */
export async function openUploadLog(file: string): Promise<UploadLog> {
  const byKey = new Map<string, LoggedUpload[]>();
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
  const remember = (upload: LoggedUpload) => byKey.set(upload.key, [...(byKey.get(upload.key) ?? []), upload]);
  // A line cut short by a crash is skipped: its upload is simply done again.
  for (const line of text.split('\n')) {
    try {
      if (line.trim() !== '') remember(JSON.parse(line) as LoggedUpload);
    } catch {}
  }
  await mkdir(dirname(file), { recursive: true });
  return {
    versions: (key) => byKey.get(key) ?? [],
    async append(upload) {
      await appendFile(file, JSON.stringify(upload) + '\n');
      remember(upload);
    },
  };
}

/** The MD5 of the object now at `key` (its ETag: single-part PUTs, SSE-S3), or undefined when there is none. */
export async function storedMd5(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const { ETag } = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return ETag?.replaceAll('"', '');
  } catch (error) {
    if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

/** True for the status of exactly this upload. */
export function isStatusOf(uploaded: Uploaded, status: { key: string; versionId?: string; processedAt: string }): boolean {
  return status.key === uploaded.key && (uploaded.versionId ? status.versionId === uploaded.versionId : status.processedAt >= uploaded.started);
}

/** The identifier `value` given as `what` (e.g. "--partnership"); an InputError that never quotes it otherwise. */
export function checkedIdentifier(what: string, value: string): string {
  const problem = identifierProblem(what, value);
  if (problem) throw new InputError(problem);
  return value;
}

/** Long enough for a 1M-row timesheet on the local stack (DynamoDB Local writes ~200k participant-weeks). */
export const DEFAULT_WAIT_SECONDS = 900;

/** The options of a command that waits for the pipeline's verdict on its upload. */
export const WAIT_OPTIONS = { wait: { type: 'string' }, 'no-wait': { type: 'boolean' } } as const;

export const WAIT_USAGE = `  --wait SECONDS   how long to wait for the verdict (default ${DEFAULT_WAIT_SECONDS} s, enough for a
                   1M-row timesheet on the local stack); exit 1 when none came in time
  --no-wait        upload only`;

/** How long to wait for the verdict, in seconds, or undefined for --no-wait. */
export function waitSeconds(values: Values): number | undefined {
  const wait = values.wait as string | undefined;
  if (values['no-wait']) {
    if (wait !== undefined) throw new UsageError('give --wait SECONDS or --no-wait, not both');
    return undefined;
  }
  if (wait === undefined) return DEFAULT_WAIT_SECONDS;
  if (!/^\d+$/.test(wait) || Number(wait) < 1) throw new UsageError('--wait takes a whole number of seconds, at least 1 (or use --no-wait)');
  return Number(wait);
}

/** How often a long wait says it is still waiting. */
const PROGRESS_EVERY_MS = 15_000;

/**
 * Polls until the pipeline has processed an upload, saying now and then on stderr
 * that it is still waiting; undefined after `seconds`, with a message saying the
 * processing may still finish and how to check (`check`).
 */
export async function waitForStatus<T>(find: () => Promise<T | undefined>, seconds: number, check: string): Promise<T | undefined> {
  process.stderr.write(`waiting up to ${seconds} s for the pipeline…\n`);
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let nextProgress = started + PROGRESS_EVERY_MS;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
    const found = await find();
    if (found) return found;
    const now = Date.now();
    if (now >= deadline) break;
    if (now >= nextProgress) {
      process.stderr.write(`still waiting for the pipeline (${Math.round((now - started) / 1000)} s)…\n`);
      nextProgress += PROGRESS_EVERY_MS;
    }
    await sleep(Math.min(pause, deadline - now));
  }
  process.stderr.write(`no status after ${seconds} s: the upload is stored and its processing may still finish; check with ${check}\n`);
  return undefined;
}
