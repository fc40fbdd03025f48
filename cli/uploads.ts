import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
