import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoRejectedUploads } from '../../shared/adapters/dynamodb-rejected-uploads.ts';
import { keyDigest } from '../../shared/uploads/rejected-upload.ts';
import { cprSpellings, runPbr, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/** Fictional CPR numbers; the test proves none of them is ever stored, logged or output. */
const CPR = ['010190-1234', '0202851222', '030390-1333'];
const cprForms = cprSpellings(CPR);

let stack: StackProcess;
let dir: string;
let store: DynamoHoursStore;
const cliOutput: string[] = [];

async function file(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.join('\n') + '\n');
  return path;
}

async function pbr(...args: string[]) {
  const result = await runPbr([...args, '--data', stack.dataDir]);
  cliOutput.push(result.stdout, result.stderr);
  return result;
}

const upload = (path: string, partnership: string, month: string, source: string) =>
  pbr('upload', path, '--partnership', partnership, '--month', month, '--source', source);

async function exportHours(partnership: string): Promise<string> {
  const result = await pbr('export-hours', '--partnership', partnership);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** participant,week → active hours from the weekly-hours CSV. */
function activeHours(csv: string): Record<string, number> {
  const rows = csv.trim().split('\n').slice(1).map((line) => line.split(','));
  return Object.fromEntries(rows.map((row) => [`${row[0]},${row[1]}`, Number(row[2])]));
}

/** Sends a notification straight to the ingest handler, as a redelivered or delayed S3 event would. */
async function deliver(key: string, sequencer: string, versionId?: string) {
  const { handler } = await import('../../functions/ingest-report/handler.ts');
  const encoded = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  return handler(
    { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: stack.endpoints.bucket }, object: { key: encoded, versionId, sequencer } } }] },
    {} as never,
  );
}

beforeAll(async () => {
  stack = await startStackProcess();
  dir = await mkdtemp(join(tmpdir(), 'pbr-it-files-'));
  store = new DynamoHoursStore(createDocumentClient(), stack.endpoints.table);
});

afterAll(async () => {
  await stack?.stop();
});

describe('upload → weekly hours in DynamoDB', () => {
  it('stores the same weekly hours that pbr hours computes, with CPR numbers pseudonymised', async () => {
    const path = await file('2024-03-actor.csv', [
      '\uFEFFDeltager;Dato;Timer;Aktivitet;Aktør',
      `${CPR[0]};04-03-2024;7,5;Opkvalificering;Jobvejen`,
      `${CPR[0]};05.03.2024;3;praktik;Køge Rør`,
      `${CPR[1]};06/03/2024;6;løn;Køge Rør`,
      `P-7;2024-03-07;4;fleksjob;X`,
      `P-7;2024-03-08;30;fleksjob;X`,
    ]);
    const uploaded = await upload(path, 'koege', '2024-03', 'jobvejen');
    expect(uploaded.code, uploaded.stderr).toBe(3); // one row rejected
    expect(uploaded.stdout).toContain('line 6: column "Timer": 30 is outside (0, 24] hours for a day');

    const local = await runPbr(['hours', '--month', '2024-03', path]);
    expect(await exportHours('koege')).toBe(local.stdout);
    const hours = activeHours(local.stdout);
    expect(Object.keys(hours)).toHaveLength(3);
    expect(Object.values(hours).sort((a, b) => a - b)).toEqual([4, 6, 10.5]);
    expect(local.stdout).toMatch(/^px_[0-9a-f]{16},2024-W10,10.5,0,7.5,3,/m);
  });

  it('ingests an XLSX workbook (sources are slugs since spec 2.4: Danish letters spelled out)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Timer');
    sheet.addRow(['Borger', 'Dato', 'Timer', 'Type']);
    sheet.addRow(['S-1', new Date('2024-03-04T00:00:00Z'), 4, 'Praktik']);
    sheet.addRow(['S-1', new Date('2024-03-05T00:00:00Z'), 6.5, 'Løn']);
    const path = join(dir, 'company.xlsx');
    await workbook.xlsx.writeFile(path);
    const uploaded = await upload(path, 'stevns', '2024-03', 'aktoer-aeble-a-s');
    expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);
    expect(await exportHours('stevns')).toContain('S-1,2024-W10,10.5,6.5,0,4,6.5,0,0,0,0');
  });

  it('sums a week that spans two months from both months’ reports, and reports from different sources', async () => {
    const january = await file('jan.csv', ['participant,date,hours,activity', 'W-1,2024-01-31,5,training']);
    const february = await file('feb.csv', ['participant,date,hours,activity', 'W-1,2024-02-01,3,training']);
    const company = await file('feb-company.csv', ['participant,date,hours,activity', 'W-1,2024-02-02,2,internship']);
    expect((await upload(january, 'odsherred', '2024-01', 'actor')).code).toBe(0);
    expect((await upload(february, 'odsherred', '2024-02', 'actor')).code).toBe(0);
    expect((await upload(company, 'odsherred', '2024-02', 'company')).code).toBe(0);
    expect(activeHours(await exportHours('odsherred'))).toEqual({ 'W-1,2024-W05': 10 });
  });
});

describe('corrections, duplicates and order', () => {
  it('a correction replaces the earlier version completely', async () => {
    const first = await file('v1.csv', ['participant,date,hours,activity', 'C-1,2024-04-01,5,training', 'C-2,2024-04-02,7,training']);
    const second = await file('v2.csv', ['participant,date,hours,activity', 'C-1,2024-04-01,2,training']);
    expect((await upload(first, 'holbaek', '2024-04', 'actor')).code).toBe(0);
    expect(activeHours(await exportHours('holbaek'))).toEqual({ 'C-1,2024-W14': 5, 'C-2,2024-W14': 7 });
    expect((await upload(second, 'holbaek', '2024-04', 'actor')).code).toBe(0);
    expect(activeHours(await exportHours('holbaek'))).toEqual({ 'C-1,2024-W14': 2 });

    const statuses = (await store.reportStatuses('holbaek')).filter((status) => status.source === 'actor');
    expect(statuses.map((status) => [status.outcome, status.current])).toEqual([['accepted', true], ['accepted', false]]);
    const reports = await pbr('reports', '--partnership', 'holbaek');
    expect(reports.stdout).toMatch(/2024-04 actor {2}accepted \(current\)/);
    expect(reports.stdout).toMatch(/2024-04 actor {2}accepted, since replaced/);
  });

  it('a duplicate notification never double counts', async () => {
    const path = await file('dup.csv', ['participant,date,hours,activity', 'D-1,2024-05-06,6,training']);
    expect((await upload(path, 'dup', '2024-05', 'actor')).code).toBe(0);
    const [current] = await store.reportStatuses('dup');
    expect(await deliver('reports/dup/2024-05/actor.csv', current!.sequencer, current!.versionId)).toEqual({ 'reports/dup/2024-05/actor.csv': 'duplicate' });
    expect(await deliver('reports/dup/2024-05/actor.csv', current!.sequencer, current!.versionId)).toEqual({ 'reports/dup/2024-05/actor.csv': 'duplicate' });
    expect(activeHours(await exportHours('dup'))).toEqual({ 'D-1,2024-W19': 6 });
  });

  it('an older version processed after a newer one never wins', async () => {
    const path = await file('newer.csv', ['participant,date,hours,activity', 'O-1,2024-05-06,8,training']);
    expect((await upload(path, 'order', '2024-05', 'actor')).code).toBe(0);
    const [newer] = await store.reportStatuses('order');
    const older = '00' + newer!.sequencer.slice(-16, -2); // an earlier sequencer of the same key
    expect(await deliver('reports/order/2024-05/actor.csv', older, 'older-version')).toEqual({ 'reports/order/2024-05/actor.csv': 'superseded' });
    expect(activeHours(await exportHours('order'))).toEqual({ 'O-1,2024-W19': 8 });
    const statuses = await store.reportStatuses('order');
    expect(statuses.map((status) => [status.versionId, status.outcome, status.current])).toEqual([
      [newer!.versionId, 'accepted', true],
      ['older-version', 'superseded', false],
    ]);
  });

  it('ignores uploads that are not reports (other prefixes and suffixes), like the S3 notification filter', async () => {
    const s3 = createS3Client();
    await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: 'reports/ignored/2024-05/notes.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: 'inbox/ignored/2024-05/actor.csv', Body: 'participant,date,hours,activity\nI-1,2024-05-06,1,training\n' }));
    const path = await file('after.csv', ['participant,date,hours,activity', 'I-2,2024-05-06,1,training']);
    expect((await upload(path, 'ignored', '2024-05', 'actor')).code).toBe(0); // processed after the two above
    expect(activeHours(await exportHours('ignored'))).toEqual({ 'I-2,2024-W19': 1 });
    expect((await store.reportStatuses('ignored')).map((status) => status.key)).toEqual(['reports/ignored/2024-05/actor.csv']);
  });
});

describe('rejected files', () => {
  it('a file rejected whole leaves no trace in the hours, and the earlier version stays current', async () => {
    const good = await file('good.csv', ['participant,date,hours,activity', 'R-1,2024-06-03,4,training']);
    const bad = await file('bad.csv', ['participant,date,activity', 'R-1,2024-06-03,training']);
    expect((await upload(good, 'rejects', '2024-06', 'actor')).code).toBe(0);
    const rejected = await upload(bad, 'rejects', '2024-06', 'actor');
    expect(rejected.code).toBe(2);
    expect(rejected.stdout).toContain('header lacks required column "hours"');
    expect(activeHours(await exportHours('rejects'))).toEqual({ 'R-1,2024-W23': 4 });

    const fresh = await upload(bad, 'rejects', '2024-07', 'actor');
    expect(fresh.code).toBe(2);
    const items = await createDocumentClient().send(new ScanCommand({ TableName: stack.endpoints.table }));
    const ofRejects = (items.Items ?? []).filter((item) => item.pk === 'PARTNERSHIP#rejects');
    expect(ofRejects.filter((item) => String(item.sk).startsWith('HOURS#2024-07'))).toEqual([]);
    expect(ofRejects.filter((item) => String(item.sk).startsWith('REPORT#2024-07'))).toEqual([]);
    expect(ofRejects.filter((item) => String(item.sk).startsWith('HOURS#2024-06'))).toHaveLength(1);
  });
});

describe('uploads under a name that cannot be used (spec 2.4)', () => {
  it('are listed by pbr reports as rejected, by digest and reason, never by name', async () => {
    const s3 = createS3Client();
    const body = 'participant,date,hours,activity\nK-1,2024-05-06,1,training\n';
    const named = `reports/badnames/2024-05/${CPR[0]}.csv`; // a CPR number as file name
    const unreadable = `reports/${CPR[1]}/2024-05/actor.csv`; // a CPR number as partnership
    for (const Key of [named, unreadable]) await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key, Body: body }));
    const uploads = new DynamoRejectedUploads(createDocumentClient(), stack.endpoints.table);
    const deadline = Date.now() + 30_000;
    while ((await uploads.rejectedUploads('badnames')).length + (await uploads.rejectedUploads()).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));

    const listed = await pbr('reports', '--partnership', 'badnames');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`upload sha256:${keyDigest(named)}  rejected`);
    expect(listed.stdout).toContain('source must not contain 6 or more digits in a row');
    const others = await pbr('reports', '--unreadable', '--json');
    expect(JSON.parse(others.stdout).rejectedUploads).toContainEqual(expect.objectContaining({ keyDigest: keyDigest(unreadable), outcome: 'rejected', reason: expect.stringContaining('partnership must not contain 6 or more digits') }));
    expect(activeHours(await exportHours('badnames'))).toEqual({});
    expect((await pbr('reports', '--partnership', CPR[1]!)).code).toBe(2); // refused, not looked up
  });
});

describe('CPR numbers', () => {
  it('never reach DynamoDB, the S3 outputs, the CLI output or the logs', async () => {
    const table = await createDocumentClient().send(new ScanCommand({ TableName: stack.endpoints.table }));
    const s3 = createS3Client();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.bucket, Prefix: 'results/' }));
    expect(listed.Contents?.length).toBeGreaterThan(5);
    const results = await Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) =>
        (await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key }))).Body!.transformToString()),
    );
    const scanned = {
      dynamodb: JSON.stringify(table.Items),
      s3Results: results.join('\n'),
      cli: cliOutput.join('\n'),
      logs: stack.output(),
    };
    expect(scanned.dynamodb).toContain('px_'); // the pseudonyms are there instead
    expect(scanned.logs).toContain('report accepted');
    for (const [where, text] of Object.entries(scanned)) {
      for (const cpr of cprForms) expect(text.includes(cpr), `${cpr} found in ${where}`).toBe(false);
    }
  });
});
