import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { gitRevision } from '../../shared/code-version.ts';
import { adjustmentsOf, baselineOf } from '../../shared/statements/adjustments.ts';
import { reportsCounted } from '../../shared/statements/manifest.ts';
import { recalculateStatement, statementKey } from '../../shared/statements/recalculate-statement.ts';
import { formatStatementExplanation } from '../../shared/statements/statement-format.ts';
import type { Figures } from '../../shared/simulation/statement.ts';
import { addWeeks, statementOf, testContract, week } from '../simulation/builders.ts';
import { inMemoryStores, reportStatus } from './in-memory-stores.ts';

const oere = (amount: number) => Math.round(amount * 100);
const FIGURE_KEYS: (keyof Figures)[] = ['grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'outcomePayments', 'fees', 'net'];

describe('the manifest of a statement (spec 8, evidence)', () => {
  it('counts the current version of every report up to the as-of month, by month and source', () => {
    const statuses = [
      reportStatus('2024-02', 'b', '0005'),
      reportStatus('2024-01', 'b', '0004', { current: false, outcome: 'superseded' }),
      reportStatus('2024-01', 'b', '0006', { acceptedRows: 8, rejectedRows: 2 }),
      reportStatus('2024-01', 'a', '0003', { versionId: undefined }),
      reportStatus('2024-03', 'a', '0007'),
    ];
    expect(reportsCounted(statuses, '2024-02')).toEqual([
      { key: 'reports/test/2024-01/a.csv', sequencer: '0003', month: '2024-01', source: 'a', acceptedRows: 10, rejectedRows: 0 },
      { key: 'reports/test/2024-01/b.csv', versionId: 'v-b-0006', sequencer: '0006', month: '2024-01', source: 'b', acceptedRows: 8, rejectedRows: 2 },
      { key: 'reports/test/2024-02/b.csv', versionId: 'v-b-0005', sequencer: '0005', month: '2024-02', source: 'b', acceptedRows: 10, rejectedRows: 0 },
    ]);
  });

  it('is stored and published with the statement; the moment and code version never make a recomputation "changed"', async () => {
    const { world, deps } = inMemoryStores(testContract());
    world.versions.roster = { key: 'rosters/test.csv', versionId: 'r1', sequencer: '0002' };
    world.weeks = [week('P1', '2024-W02', { ordinary: 12 })];
    world.statuses = [reportStatus('2024-01', 'a', '0003')];
    expect(await recalculateStatement('test', '2024-01', deps())).toBe('computed');
    const stored = world.statements.get('2024-01')!;
    expect(stored.manifest).toEqual({
      contract: { key: 'contracts/test.json', versionId: 'c1', sequencer: '0001' },
      roster: { key: 'rosters/test.csv', versionId: 'r1', sequencer: '0002' },
      reports: [{ key: 'reports/test/2024-01/a.csv', versionId: 'v-a-0003', sequencer: '0003', month: '2024-01', source: 'a', acceptedRows: 10, rejectedRows: 0 }],
      seed: expect.any(Number),
      runs: 0,
      codeVersion: 'abc1234',
      computedAt: '2024-03-01T06:00:00.000Z',
    });
    expect(JSON.parse(world.published.get(statementKey('test', '2024-01', 'json'))!).manifest).toEqual(stored.manifest);

    expect(await recalculateStatement('test', '2024-01', deps({ codeVersion: 'def5678', now: () => new Date('2024-04-01T00:00:00Z') }))).toBe('unchanged');
    expect(world.statements.get('2024-01')!.manifest!.codeVersion).toBe('abc1234');
  });

  it('a new version of a report is named by the next recalculation, even with the same hours', async () => {
    const { world, deps } = inMemoryStores(testContract());
    world.weeks = [week('P1', '2024-W02', { ordinary: 12 })];
    world.statuses = [reportStatus('2024-01', 'a', '0003')];
    await recalculateStatement('test', '2024-01', deps());
    world.statuses = [reportStatus('2024-01', 'a', '0003', { current: false, outcome: 'superseded' }), reportStatus('2024-01', 'a', '0009')];
    expect(await recalculateStatement('test', '2024-01', deps())).toBe('computed');
    expect(world.statements.get('2024-01')!.manifest!.reports.map((r) => r.versionId)).toEqual(['v-a-0009']);
  });
});

describe('adjustments (efterregulering, spec 8)', () => {
  // P1, not on the roster, is referred in 2024-W02 (first week with hours), benefit week k = 1 (refusion 0.8).
  // February: 2024-W06 is benefit week 5 (refusion 0.4), 5 ordinary hours: reduction 5 × 120 = 600, municipal 600 × 0.6 = 360.
  const january = (hours: number) => week('P1', '2024-W02', { ordinary: hours });
  const february = week('P1', '2024-W06', { ordinary: 5 });

  it('a correction to an old month shows up as adjustment lines in the next statement, against what was first stated', async () => {
    const { world, deps } = inMemoryStores(testContract());
    world.weeks = [january(5), february];
    await recalculateStatement('test', '2024-01', deps());
    await recalculateStatement('test', '2024-02', deps());
    expect(world.statements.get('2024-01')!.baseline).toBeNull(); // no December statement
    expect(world.statements.get('2024-01')!.adjustments).toBeUndefined();
    const first = world.statements.get('2024-02')!;
    expect(first.baseline!.totals).toMatchObject({ grossBenefitSavings: 600, municipalSavings: 120, outcomePayments: 0, net: 120 });
    expect(first.adjustments).toEqual({ since: '2024-01', figures: { outcomePayments: 0, grossBenefitSavings: 0, municipalSavings: 0, attributableSavings: 0, fees: 0, net: 0 }, outcomes: [] });

    // The correction: 12 hours in W02 reach the job start (15.000) and save 12 × 120 = 1440, municipal 288.
    world.weeks = [january(12), february];
    world.statuses = [reportStatus('2024-01', 'a', '0009')];
    await recalculateStatement('test', '2024-01', deps()); // recalculated first, as "always current" does
    expect(await recalculateStatement('test', '2024-02', deps())).toBe('computed');
    const corrected = world.statements.get('2024-02')!;
    expect(corrected.baseline).toEqual(first.baseline);
    expect(corrected.adjustments).toEqual({
      since: '2024-01',
      figures: { outcomePayments: 15000, grossBenefitSavings: 840, municipalSavings: 168, attributableSavings: 168, fees: 0, net: -14832 },
      outcomes: [{ participant: 'P1', outcome: 'job_start', label: 'Første kvalificerende uge', week: '2024-W02', stated: 0, current: 15000, amount: 15000 }],
    });
    expect(corrected.statement.month).toMatchObject({ grossBenefitSavings: 600, municipalSavings: 360, outcomePayments: 0, net: 360 });
    expect(corrected.statement.totals).toMatchObject({ grossBenefitSavings: 2040, municipalSavings: 648, outcomePayments: 15000, net: -14352 });
    expect(JSON.parse(world.published.get(statementKey('test', '2024-02', 'json'))!).adjustments).toEqual(corrected.adjustments);

    // Recomputing again compares with the same issued baseline: nothing changed, nothing written.
    expect(await recalculateStatement('test', '2024-02', deps())).toBe('unchanged');
    // March, first issued now, starts from February as stated after the correction.
    await recalculateStatement('test', '2024-03', deps());
    expect(world.statements.get('2024-03')!.adjustments!.figures.net).toBe(0);
  });

  it('a payment that disappears is a negative line', () => {
    const contract = testContract();
    const stated = statementOf(contract, [january(12)], '2024-01');
    const now = statementOf(contract, [january(5)], '2024-02');
    const adjustments = adjustmentsOf(now, baselineOf(stated));
    expect(adjustments.outcomes).toEqual([{ participant: 'P1', outcome: 'job_start', label: 'Første kvalificerende uge', week: '2024-W02', stated: 15000, current: 0, amount: -15000 }]);
    expect(adjustments.figures).toMatchObject({ outcomePayments: -15000, grossBenefitSavings: -840, net: 14832 });
  });

  it('property: totals(N) = baseline(N−1).totals + month(N) + adjustments, to the øre, and the lines add up to the payments figure', () => {
    const contract = testContract((doc) => {
      doc.programmeFee = 1000.5;
      Object.assign(doc, { feeSchedule: [{ month: '2024-01', amount: 500.25 }, { month: '2024-02', amount: 500.25 }] });
      doc.deadweight = 0.37;
    });
    const weekHours = fc.record({ participant: fc.constantFrom('P1', 'P2', 'P3'), offset: fc.integer({ min: 0, max: 8 }), ordinary: fc.integer({ min: 0, max: 4000 }), flexjob: fc.integer({ min: 0, max: 2500 }) });
    const toWeeks = (rows: { participant: string; offset: number; ordinary: number; flexjob: number }[]) => {
      const unique = new Map(rows.map((r) => [`${r.participant}${r.offset}`, r]));
      return [...unique.values()].map((r) => week(r.participant, addWeeks('2024-W01', r.offset), { ordinary: r.ordinary / 100, flexjob: r.flexjob / 100 }));
    };
    fc.assert(
      fc.property(fc.array(weekHours, { maxLength: 12 }), fc.array(weekHours, { maxLength: 12 }), (stated, corrected) => {
        const baseline = baselineOf(statementOf(contract, toWeeks(stated), '2024-01'));
        const now = statementOf(contract, toWeeks(corrected), '2024-02');
        const adjustments = adjustmentsOf(now, baseline);
        for (const key of FIGURE_KEYS) {
          expect(oere(now.totals[key])).toBe(oere(baseline.totals[key]) + oere(now.month[key]) + oere(adjustments.figures[key]));
        }
        expect(adjustments.outcomes.reduce((sum, line) => sum + oere(line.amount), 0)).toBe(oere(adjustments.figures.outcomePayments));
      }),
      { numRuns: 200 },
    );
  });
});

describe('pbr statement --explain', () => {
  it('says in Danish what the statement rests on, its efterregulering and each payment’s weeks and hours', async () => {
    const { world, deps } = inMemoryStores(testContract());
    world.weeks = [week('P1', '2024-W02', { ordinary: 5 }), week('P1', '2024-W06', { ordinary: 5 })];
    world.statuses = [reportStatus('2024-01', 'a', '0003', { acceptedRows: 9, rejectedRows: 1 })];
    await recalculateStatement('test', '2024-01', deps());
    await recalculateStatement('test', '2024-02', deps());
    world.weeks = [week('P1', '2024-W02', { ordinary: 12.5 }), week('P1', '2024-W06', { ordinary: 5 })];
    await recalculateStatement('test', '2024-02', deps());
    const text = formatStatementExplanation(world.statements.get('2024-02')!);
    expect(text).toContain('Beregnet 2024-03-01T06:00:00.000Z af kodeversion abc1234; fremskrivning med 0 kørsler, seed ');
    expect(text).toContain('Kontrakt: contracts/test.json, version c1 (sekvens 0001)');
    expect(text).toContain('Deltagerliste: ingen');
    expect(text).toContain('2024-01 a: reports/test/2024-01/a.csv, version v-a-0003 (sekvens 0003): 9 rækker godkendt, 1 afvist');
    expect(text).toContain('Efterregulering i forhold til opgørelsen pr. 2024-01');
    expect(text).toMatch(/Resultatbetalinger\s+0,00 kr\.\s+15\.000,00 kr\.\s+0,00 kr\.\s+15\.000,00 kr\./);
    expect(text).toContain('før 0,00 kr., nu 15.000,00 kr.: 15.000,00 kr.');
    expect(text).toContain('uger: 2024-W02 12,5 t');

    const january = formatStatementExplanation(world.statements.get('2024-01')!);
    expect(january).toContain('ingen (der er ingen tidligere opgørelse at regulere imod)');
  });
});

describe('the code version a manifest names', () => {
  it('is the short git revision where the code is built or started, else "unknown"', () => {
    expect(gitRevision(new URL('../..', import.meta.url).pathname)).toMatch(/^[0-9a-f]{7,}$/);
    expect(gitRevision(tmpdir())).toBe('unknown');
  });
});

describe('the as-of month read from the stores follows the contract calendar (spec 7)', () => {
  it('a contract ending on a Wednesday has its last week in its end month, hours included', async () => {
    // 2024-07-31 is a Wednesday: its week 2024-W31 has its Thursday in August, but is booked in July.
    const { world, deps } = inMemoryStores(testContract((doc) => (doc.end = '2024-07-31')));
    world.weeks = [week('P1', '2024-W30', { ordinary: 5 }), week('P1', '2024-W31', { ordinary: 12 })];
    world.statuses = [reportStatus('2024-07', 'actor', '0002')];
    expect(await recalculateStatement('test', '2024-07', deps())).toBe('computed');
    const { statement } = world.statements.get('2024-07')!;
    expect(statement.outcomes.map(({ outcome, week: w }) => [outcome, w])).toContainEqual(['job_start', '2024-W31']);
    expect(statement.month.outcomePayments).toBe(statement.totals.outcomePayments);
  });
});
