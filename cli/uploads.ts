import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

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

const WAIT_MS = 120_000;

/** Polls until the pipeline has processed an upload; undefined after two minutes. */
export async function waitForStatus<T>(find: () => Promise<T | undefined>): Promise<T | undefined> {
  process.stderr.write('waiting for the pipeline…\n');
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const found = await find();
    if (found) return found;
    await sleep(250);
  }
  process.stderr.write(`no status after ${WAIT_MS / 1000} s: check the function's logs\n`);
  return undefined;
}
