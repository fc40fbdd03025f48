import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import type { SimulatedStatement } from '../../shared/simulation/simulate.ts';
import { runPbr, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/*
 * Issue 8, always current (spec 8), on the real local stack: statements exist for
 * several months; a correction of an early month is recalculated in process, by
 * the same handler SQS feeds in AWS, into every later month, and the stored
 * months agree on the months they share.
 */
const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04'];
let stack: StackProcess;
let dir: string;
let partnerships: DynamoPartnershipStore;

const contract = {
  partnership: 'odsherred',
  name: 'Vækstpartnerskab Odsherred',
  municipality: 'Odsherred',
  start: '2024-01-01',
  end: '2024-12-31',
  programmeFee: 20000,
  feeSchedule: [{ month: '2024-01', amount: 10000 }, { month: '2024-03', amount: 10000 }],
  cap: 100000,
  maxPerParticipant: 50000,
  deadweight: 0.25,
  outcomes: [{ id: 'job_start', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 15000 }],
  benefit: { weeklyRate: 2900, hourlyWage: 150, disregardPerHour: 30, educationOffBenefitHours: 15, priorWeeksOnBenefit: 104, refusion: [{ fromWeek: 1, rate: 0.2 }], municipalCostPerHour: {} },
};

async function pbr(...args: string[]) {
  const result = await runPbr([...args, '--data', stack.dataDir], { STATEMENT_RUNS: '50' });
  expect(result.code, result.stderr).toBe(0);
  return result;
}

async function upload(month: string, rows: string) {
  const path = join(dir, `${month}-${Date.now()}.csv`);
  await writeFile(path, `Deltager;Dato;Timer;Aktivitet\n${rows}`);
  return pbr('upload', path, '--partnership', 'odsherred', '--month', month, '--source', 'actor');
}

const statementsNow = async () => Promise.all(MONTHS.map(async (month) => (await partnerships.statement('odsherred', month))!.statement as SimulatedStatement));

beforeAll(async () => {
  stack = await startStackProcess();
  dir = await mkdtemp(join(tmpdir(), 'pbr-current-'));
  partnerships = new DynamoPartnershipStore(createDocumentClient(), stack.endpoints.table);
  const contractFile = join(dir, 'odsherred.json');
  await writeFile(contractFile, JSON.stringify(contract));
  await pbr('upload-contract', contractFile);
  await upload('2024-01', 'A-1;15-01-2024;12;løn\nB-2;16-01-2024;6;løn\n');
  await upload('2024-02', 'A-1;12-02-2024;20;løn\nB-2;13-02-2024;8;løn\n');
  await upload('2024-03', 'A-1;11-03-2024;20;løn\nB-2;12-03-2024;11;løn\n');
  await upload('2024-04', 'A-1;15-04-2024;20;løn\n');
  for (const month of MONTHS) await pbr('recalc', '--as-of', month);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('statements are always current', () => {
  it('a correction of an early month reaches every later month, and the months agree', async () => {
    const before = await statementsNow();
    expect(before.map((s) => s.totals.outcomePayments)).toEqual([15000, 15000, 30000, 30000]);
    const stampBefore = (await partnerships.statement('odsherred', '2024-04'))!.inputsStamp;

    await upload('2024-01', 'A-1;15-01-2024;8;løn\nB-2;16-01-2024;6;løn\n'); // A's job start moves to February
    // Months are recalculated in order: wait until the last one shows A's job start in February.
    await expect
      .poll(async () => (await statementsNow()).map((s) => s.outcomes.find((o) => o.participant === 'A-1')?.week ?? null), { timeout: 30_000, interval: 500 })
      .toEqual([null, '2024-W07', '2024-W07', '2024-W07']);
    const after = await statementsNow();
    expect(after.map((s) => s.totals.outcomePayments)).toEqual([0, 15000, 30000, 30000]);
    for (const statement of after.slice(1)) {
      expect(statement.totals.grossBenefitSavings).not.toBe(before[after.indexOf(statement)]!.totals.grossBenefitSavings);
    }
    expect((await partnerships.statement('odsherred', '2024-04'))!.inputsStamp! > stampBefore!).toBe(true);

    // Efterregulering: February's statement takes back January's stated job start, March moves it to W07.
    const february = (await partnerships.statement('odsherred', '2024-02'))!.adjustments!;
    expect(february.since).toBe('2024-01');
    expect(february.figures.outcomePayments).toBe(-15000);
    expect(february.outcomes).toEqual([expect.objectContaining({ participant: 'A-1', week: '2024-W03', stated: 15000, current: 0, amount: -15000 })]);
    const march = (await partnerships.statement('odsherred', '2024-03'))!.adjustments!;
    expect(march.figures.outcomePayments).toBe(0);
    expect(march.outcomes.map(({ week, amount }) => [week, amount])).toEqual([['2024-W03', -15000], ['2024-W07', 15000]]);
    // The manifest names the correction's version.
    const manifest = (await partnerships.statement('odsherred', '2024-04'))!.manifest!;
    expect(manifest.reports.filter((r) => r.key === 'reports/odsherred/2024-01/actor.csv').map((r) => r.sequencer)).toEqual([(await partnerships.statement('odsherred', '2024-04'))!.inputsStamp]);

    for (const [n, later] of after.entries()) {
      for (const earlier of after.slice(0, n)) {
        const { month: _, ...cumulative } = later.byMonth.find((m) => m.month === earlier.asOf)!;
        expect(cumulative, `${later.asOf} on ${earlier.asOf}`).toEqual(earlier.totals);
      }
      const monthNets = after.slice(0, n + 1).reduce((sum, s) => sum + Math.round(s.month.net * 100), 0);
      expect(monthNets).toBe(Math.round(later.totals.net * 100));
    }
  });

  it('the table refuses a statement from older inputs over one from newer (conditional put)', async () => {
    const stored = (await partnerships.statement('odsherred', '2024-02'))!;
    const older = { ...stored, inputsStamp: '0'.repeat(stored.inputsStamp!.length), statement: { ...stored.statement, participants: 99 } };
    expect(await partnerships.putStatement('odsherred', '2024-02', older)).toBe(false);
    expect(await partnerships.statement('odsherred', '2024-02')).toEqual(stored);
    expect(await partnerships.putStatement('odsherred', '2024-02', stored)).toBe(true); // the same stamp again: idempotent
  });
});
