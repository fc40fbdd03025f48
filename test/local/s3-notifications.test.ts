import { describe, expect, it } from 'vitest';
import { createNotificationShaper, encodeNotificationKey, INPUT_FILTERS, REPORT_FILTERS } from '../../local/s3-notifications.ts';

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
});
