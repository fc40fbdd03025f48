import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationShaper, createVersionedWrites, encodeNotificationKey, type S3rverEvent } from '../../local/s3-notifications.ts';
import { INPUT_FILTERS } from '../../shared/uploads/input-key.ts';
import { REPORT_FILTERS } from '../../shared/uploads/report-key.ts';

const s3rverEvent = (key: string, eventName = 'ObjectCreated:Put') => ({
  Records: [{ eventName, eventTime: '2024-03-01T00:00:00.000Z', s3: { bucket: { name: 'b' }, object: { key, size: 3, eTag: 'e' } } }],
});

describe('local S3 notifications', () => {
  it('URL-encodes keys like S3: + for spaces, / kept, UTF-8 escaped', () => {
    expect(encodeNotificationKey('reports/køge/2024-03/Aktør A.csv')).toBe('reports/k%C3%B8ge/2024-03/Akt%C3%B8r+A.csv');
    expect(decodeURIComponent(encodeNotificationKey('reports/a+b/x y.csv').replace(/\+/g, ' '))).toBe('reports/a+b/x y.csv');
  });

  it('applies the prefix and suffix filters that s3rver ignores', () => {
    const shape = createNotificationShaper('eu-north-1');
    expect(shape(s3rverEvent('reports/p/2024-03/a.csv'), REPORT_FILTERS)).toBeDefined();
    expect(shape(s3rverEvent('reports/p/2024-03/a.xlsx'), REPORT_FILTERS)).toBeDefined();
    expect(shape(s3rverEvent('reports/p/2024-03/a.txt'), REPORT_FILTERS)).toBeUndefined();
    expect(shape(s3rverEvent('results/p/2024-03/a.csv'), REPORT_FILTERS)).toBeUndefined();
    expect(shape(s3rverEvent('reports/p/2024-03/a.csv', 'ObjectRemoved:Delete'), REPORT_FILTERS)).toBeUndefined();
    expect(shape(s3rverEvent('contracts/koege.json'), REPORT_FILTERS)).toBeUndefined();
    expect(shape(s3rverEvent('contracts/koege.json'), INPUT_FILTERS)).toBeDefined();
    expect(shape(s3rverEvent('rosters/koege.csv'), INPUT_FILTERS)).toBeDefined();
    expect(shape(s3rverEvent('rosters/koege.json'), INPUT_FILTERS)).toBeUndefined();
  });

  it('adds a version id and strictly growing sequencers, in the S3 event shape', () => {
    const shape = createNotificationShaper('eu-north-1');
    const records = Array.from({ length: 50 }, () => shape(s3rverEvent('reports/p/2024-03/a.csv'), REPORT_FILTERS)!.Records[0]!);
    const sequencers = records.map((record) => record.s3.object.sequencer);
    for (let i = 1; i < sequencers.length; i++) expect(sequencers[i]! > sequencers[i - 1]!).toBe(true);
    expect(new Set(records.map((record) => record.s3.object.versionId)).size).toBe(50);
    expect(records[0]).toMatchObject({ eventSource: 'aws:s3', awsRegion: 'eu-north-1', s3: { s3SchemaVersion: '1.0', bucket: { arn: 'arn:aws:s3:::b' } } });
  });

  it('continues strictly after the last sequencer of an earlier run, even when that lies ahead of the clock', () => {
    const ahead = ((BigInt(Date.now() + 3_600_000) << 16n) + 5n).toString(16).toUpperCase().padStart(18, '0');
    const shape = createNotificationShaper('eu-north-1', ahead);
    const first = shape(s3rverEvent('reports/p/2024-03/a.csv'), REPORT_FILTERS)!.Records[0]!.s3.object.sequencer;
    expect(first > ahead).toBe(true);
    expect(first).toHaveLength(ahead.length);
  });

  it('carries the version id it is given', () => {
    const shape = createNotificationShaper('eu-north-1');
    expect(shape(s3rverEvent('reports/p/2024-03/a.csv'), REPORT_FILTERS, 'v-given')!.Records[0]!.s3.object.versionId).toBe('v-given');
  });
});

describe('version ids for s3rver', () => {
  let s3rver: S3rver;
  let s3: S3Client;
  let dir: string;
  /** What the 'event' listener saw: key and version id per notification, and the journal writes it started. */
  const seen: { key: string; versionId: string; journaled: () => boolean }[] = [];
  let journalFails = false;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pbr-s3rver-'));
    s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'b', configs: [] }] });
    const writes = createVersionedWrites();
    s3rver.middleware.unshift(writes.middleware);
    const shape = createNotificationShaper('eu-north-1');
    s3rver.on('event', (event: S3rverEvent) => {
      const write = writes.current()!;
      write.created = true;
      const record = shape(event, REPORT_FILTERS, write.versionId)!.Records[0]!;
      let journaled = false;
      // A journal write that finishes well after the object is stored.
      write.persisting.push(setTimeout(20).then(() => {
        if (journalFails) throw new Error('disk full');
        journaled = true;
      }));
      seen.push({ key: decodeURIComponent(record.s3.object.key), versionId: record.s3.object.versionId, journaled: () => journaled });
    });
    const { port } = await s3rver.run();
    s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-north-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  });

  afterAll(async () => {
    s3?.destroy();
    await s3rver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers each PUT with the version id of its own notification, only after the journal write', async () => {
    const key = 'reports/p/2024-03/a.csv';
    const answers = await Promise.all(['one', 'two', 'three'].map((body) => s3.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: body }))));
    const versions = answers.map((answer) => answer.VersionId);
    expect(new Set(versions).size).toBe(3);
    expect(seen.map((notification) => notification.versionId).sort()).toEqual([...versions].sort());
    expect(seen.every((notification) => notification.key === key && notification.journaled())).toBe(true);
  });

  it('answers an error, not a success, when the notification could not be journaled', async () => {
    journalFails = true;
    try {
      await expect(s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'reports/p/2024-03/b.csv', Body: 'x' }))).rejects.toThrow();
    } finally {
      journalFails = false;
    }
  });

  it('gives no version id to a request that created nothing', async () => {
    const answer = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'reports/p/2024-03/a.csv' }));
    expect(answer.VersionId).toBeUndefined();
  });
});
