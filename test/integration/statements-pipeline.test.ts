import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { cprSpellings, runPbr, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/*
 * Contracts and rosters validated on arrival, statements recalculated from the
 * stored hours by the same handler the monthly schedule fans out to, and read
 * back in every format, on the real local stack.
 */
const CPR = ['120385-4321', '1503901234'];
let stack: StackProcess;
let dir: string;
let partnerships: DynamoPartnershipStore;
const outputs: string[] = [];

const contract = {
  partnership: 'stevns',
  name: 'Vækstpartnerskab Stevns',
  municipality: 'Stevns',
  start: '2024-01-01',
  end: '2024-12-31',
  programmeFee: 10000,
  cap: 100000,
  maxPerParticipant: 50000,
  deadweight: 0.25,
  outcomes: [{ id: 'job_start', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 15000 }],
  benefit: {
    weeklyRate: 2900,
    hourlyWage: 150,
    disregardPerHour: 30,
    educationOffBenefitHours: 15,
    priorWeeksOnBenefit: 104,
    refusion: [{ fromWeek: 1, rate: 0.2 }],
    municipalCostPerHour: {},
  },
};

async function pbr(...args: string[]) {
  const result = await runPbr([...args, '--data', stack.dataDir], { STATEMENT_RUNS: '200' });
  outputs.push(result.stdout, result.stderr);
  return result;
}

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  stack = await startStackProcess();
  dir = await mkdtemp(join(tmpdir(), 'pbr-statements-'));
  partnerships = new DynamoPartnershipStore(createDocumentClient(), stack.endpoints.table);
});

afterAll(async () => {
  await stack?.stop();
});

describe('contracts and rosters', () => {
  it('pbr upload-contract refuses an invalid contract before uploading, naming each field', async () => {
    const bad = await write('bad.json', JSON.stringify({ ...contract, cap: -1, end: '2023-01-01', outcomes: [{ id: 'x', rule: 'sometimes', price: 1 }] }));
    const result = await pbr('upload-contract', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cap: must not be negative');
    expect(result.stderr).toContain('end: 2023-01-01 is before start 2024-01-01');
    expect(result.stderr).toContain('outcomes[0].rule: unknown rule');
    expect(result.stdout).not.toContain('uploaded');
  });

  it('an invalid contract uploaded straight to the bucket is rejected on arrival and changes nothing', async () => {
    const s3 = createS3Client();
    await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: 'contracts/stevns.json', Body: JSON.stringify({ ...contract, deadweight: 2 }) }));
    await expect.poll(async () => (await partnerships.inputStatuses('stevns')).map((s) => [s.outcome, s.problems]), { timeout: 20_000 }).toEqual([
      ['rejected', ['deadweight: must be between 0 and 1']],
    ]);
    expect(await partnerships.contract('stevns')).toBeUndefined();
    expect(await partnerships.partnerships()).toEqual([]);
  });

  it('accepts a valid contract and roster (CPR numbers pseudonymised) and registers the partnership', async () => {
    const good = await write('stevns.json', JSON.stringify(contract));
    expect((await pbr('upload-contract', good)).code).toBe(0);
    const roster = await write('roster.csv', `deltager;partnerskab;visitationsdato\n${CPR[0]};stevns;08-01-2024\n${CPR[1]};stevns;15.01.2024\nS-3;stevns;2024-02-05\n`);
    const uploaded = await pbr('upload-roster', roster, '--partnership', 'stevns');
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stdout).toContain('roster accepted');
    expect(await partnerships.partnerships()).toEqual([{ partnership: 'stevns', name: 'Vækstpartnerskab Stevns', municipality: 'Stevns' }]);
    const entries = await partnerships.roster('stevns');
    expect(entries).toHaveLength(3);
    expect(entries.filter((e) => e.participant.startsWith('px_'))).toHaveLength(2);
  });

  it('a roster with bad rows is refused with every line and field', async () => {
    const roster = await write('bad-roster.csv', 'participant,partnership,referral_date,weekly_benefit\nA,stevns,2024-13-01,\nB,koege,2024-01-01,x\n');
    const result = await pbr('upload-roster', roster, '--partnership', 'stevns');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('line 2: referral_date: "2024-13-01" is not a date');
    expect(result.stderr).toContain('line 3: weekly_benefit: "x" is not a number');
  });
});

describe('statements', () => {
  it('recalculates from the stored hours and publishes JSON, CSV and the Danish text', async () => {
    const january = await write('2024-01.csv', `Deltager;Dato;Timer;Aktivitet\n${CPR[0]};15-01-2024;12;løn\n${CPR[1]};16-01-2024;6;opkvalificering\n${CPR[1]};17-01-2024;x;opkvalificering\n`);
    expect((await pbr('upload', january, '--partnership', 'stevns', '--month', '2024-01', '--source', 'actor')).code).toBe(3);
    const recalc = await pbr('recalc', '--as-of', '2024-01');
    expect(recalc.code, recalc.stderr).toBe(0);
    expect(recalc.stdout).toContain('recalculated 1 of 1 partnerships as of 2024-01');

    const json = JSON.parse((await pbr('statement', '--partnership', 'stevns', '--month', '2024-01')).stdout);
    // job_start: 12 h ordinary ≥ 10 in 2024-W03 → 15,000. Savings: 12 h × (150 − 30) = 1,440 < 2,900; × (1 − 0.2) = 1,152.
    // Issue 8 (spec 4, 7, 8): outcomes carry a label and their evidence; the fee due (all in the start month) is a figure of its own.
    expect(json.outcomes).toEqual([
      { participant: expect.stringMatching(/^px_/), outcome: 'job_start', label: 'Første kvalificerende uge', week: '2024-W03', amount: 15000, evidence: [{ week: '2024-W03', hours: 12 }] },
    ]);
    expect(json.totals).toEqual({ outcomePayments: 15000, grossBenefitSavings: 1440, municipalSavings: 1152, attributableSavings: 864, fees: 10000, net: 864 - 15000 - 10000 });
    expect(json.rejectedReports).toEqual([{ key: 'reports/stevns/2024-01/actor.csv', month: '2024-01', source: 'actor', outcome: 'accepted', rejectedRows: 1, reasons: 1 }]);
    expect(json.participants).toBe(3);
    expect(json.projection.runs).toBe(200);

    const text = (await pbr('statement', '--partnership', 'stevns', '--month', '2024-01', '--format', 'text')).stdout;
    expect(text).toContain('Resultatbetalinger');
    expect(text).toContain('15.000,00 kr.');
    expect(text).toContain('2024-01 actor: 1 rækker afvist');
    const csv = (await pbr('statement', '--partnership', 'stevns', '--month', '2024-01', '--format', 'csv')).stdout;
    expect(csv.split('\n')[0]).toBe('section,item,week,participant,amount');
    expect(csv).toContain('total,outcomePayments,,,15000.00');

    const s3 = createS3Client();
    const stored = await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: 'statements/stevns/2024-01.csv' }));
    expect(await stored.Body!.transformToString()).toBe(csv);
  });

  it('is idempotent per partnership and month: a second run changes nothing', async () => {
    const before = await partnerships.statement('stevns', '2024-01');
    expect((await pbr('recalc', '--as-of', '2024-01')).stderr).toContain('statement unchanged');
    const after = await partnerships.statement('stevns', '2024-01');
    expect(after).toEqual(before);
  });

  it('a correction of the hours changes the next recalculation', async () => {
    const corrected = await write('2024-01-fixed.csv', `Deltager;Dato;Timer;Aktivitet\n${CPR[0]};15-01-2024;8;løn\n`);
    expect((await pbr('upload', corrected, '--partnership', 'stevns', '--month', '2024-01', '--source', 'actor')).code).toBe(0);
    await pbr('recalc', '--as-of', '2024-01');
    const json = JSON.parse((await pbr('statement', '--partnership', 'stevns', '--month', '2024-01')).stdout);
    expect(json.outcomes).toEqual([]); // 8 h < 10 h: no job start any more
    expect(json.rejectedReports).toEqual([]);
    expect(json.totals.grossBenefitSavings).toBe(960); // 8 × 120
  });

  it('stores statements larger than a DynamoDB item can hold as plain JSON (national-scale partnerships)', async () => {
    const stored = (await partnerships.statement('stevns', '2024-01'))!;
    const outcomes = Array.from({ length: 6000 }, (_, i) => ({ participant: `px_${String(i).padStart(16, '0')}`, outcome: 'sustainment', week: '2024-W10', amount: 2000 }));
    const big = { ...stored, statement: { ...stored.statement, outcomes } };
    expect(JSON.stringify(big.statement).length).toBeGreaterThan(400 * 1024);
    await partnerships.putStatement('stevns', '2099-01', big);
    expect(await partnerships.statement('stevns', '2099-01')).toEqual(big);
  });

  it('says how to compute a statement that does not exist yet', async () => {
    const result = await pbr('statement', '--partnership', 'stevns', '--month', '2023-12');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pbr recalc --as-of 2023-12');
  });

  it('no CPR number reaches DynamoDB, the statements, the CLI output or the logs', async () => {
    const s3 = createS3Client();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.bucket, Prefix: 'statements/' }));
    const bodies = await Promise.all((listed.Contents ?? []).map(async ({ Key }) => (await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key }))).Body!.transformToString()));
    const table = JSON.stringify((await createDocumentClient().send(new ScanCommand({ TableName: stack.endpoints.table }))).Items);
    const everything = [table, ...bodies, ...outputs, stack.output()].join('\n');
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const cpr of cprSpellings(CPR)) {
      expect(everything.includes(cpr), cpr).toBe(false);
    }
  });
});
