import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError, parseJsonBody } from '../../shared/api/request.ts';
import {
  checkScenarioCost,
  DATE_MARGIN_YEARS,
  MAX_OUTCOME_PAYMENTS,
  MAX_RUNS,
  MAX_SCENARIO_WORK,
  overridesOfBody,
  runScenario,
  scenarioBody,
  scenarioContract,
  scenarioCost,
  scenarioRun,
  type ScenarioResult,
} from '../../shared/api/scenario.ts';
import type { StoredStatement } from '../../shared/partnerships/ports.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, simulate } from '../../shared/simulation/simulate.ts';
import { careerCountsOf } from '../../shared/simulation/projection-prior.ts';
import { recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import type { StatementInput } from '../../shared/simulation/statement.ts';
import { MONTH_12, nationalScenario } from '../../bench/national-scenario.ts';
import { arbitraryCprWriting } from '../support/cpr-spellings.ts';
import { cprsIn } from '../support/leak-scan.ts';
import { series, testContract } from '../simulation/builders.ts';
import { inMemoryStores } from '../statements/in-memory-stores.ts';
import { refusal } from './refusal.ts';


/** testContract runs 2024-01-01 – 2025-12-31. */
const stored = testContract();

describe('what-if overrides are bounded', () => {
  it(`dates may move at most ${DATE_MARGIN_YEARS} years beyond the stored contract's`, () => {
    expect(scenarioContract(stored, { start: '2019-01-01', end: '2030-12-31' })).toMatchObject({ start: '2019-01-01', end: '2030-12-31' });
    const late = refusal(() => scenarioContract(stored, { end: '9999-12-31' }));
    expect([late.status, late.problems]).toEqual([400, ['end: must be a date between 1970-01-01 and 2149-12-31']]);
    const far = refusal(() => scenarioContract(stored, { end: '2031-01-01', start: '2018-12-31' }));
    expect(far.problems).toEqual([
      "start: must be between 2019-01-01 and 2030-12-31 (the contract's dates ± 5 years)",
      "end: must be between 2019-01-01 and 2030-12-31 (the contract's dates ± 5 years)",
    ]);
  });

  it('numbers must be finite and in range, and errors are labelled as fields, not as CLI options', () => {
    const error = refusal(() => scenarioContract(stored, { 'benefit.weeklyRate': 1e300, 'outcomes.job_start.minHours': 169, 'outcomes.sustainment.times': 1e6 }));
    expect(error.problems).toEqual(['outcomes[0].minHours: must be at most 168 (hours in a week)', 'outcomes[2].times: must be at most 520', 'benefit.weeklyRate: must be at most 10,000,000,000']);
    expect(refusal(() => scenarioContract(stored, { nosuch: 1 })).problems).toEqual(['(contract): Unrecognized key: "nosuch"']);
    const unknown = refusal(() => scenarioContract(stored, { 'outcomes.job_finish.price': 1 }));
    expect([unknown.message, unknown.problems]).toEqual(['the scenario makes the contract invalid', ['outcomes.job_finish: no such parameter in the contract']]);
  });

  it('the body is strict: unknown fields, identity fields, bad paths and too many runs are 400s', () => {
    const problems = (body: unknown) => refusal(() => parseJsonBody(scenarioBody, JSON.stringify(body))).problems;
    expect(problems({ runs: 5001 })).toEqual(['runs: at most 5000']);
    expect(problems({ runs: 1.5, seed: -1 })).toEqual(['runs: must be a whole number', 'seed: must not be negative']);
    expect(problems({ colour: 1 })).toEqual(['body: unknown field "colour"']);
    expect(problems({ set: { partnership: 'x' } })).toEqual(['set: "partnership": the partnership\'s identity cannot be changed in a what-if']);
    expect(problems({ set: { 'a..b': 1 } })).toEqual(['set: "a..b": a parameter path is names or indexes joined by "." (e.g. benefit.weeklyRate, outcomes.job_start.price)']);
    expect(problems({ asOf: '2150-01' })).toEqual(['asOf: must be a month YYYY-MM from 1970-01 to 2149-12']);
    // runs and seed stay unset, so the stored statement's can be used (see below)
    expect(parseJsonBody(scenarioBody, '{}')).toEqual({ set: {} });
  });

  it("the body's set object becomes structured overrides in the order given, values as sent", () => {
    const { set } = parseJsonBody(scenarioBody, JSON.stringify({ set: { 'outcomes.job_start.price': 7000, end: '2026-06-30', 'benefit.refusion': [{ fromWeek: 1, rate: 0.5 }] } }));
    expect(overridesOfBody(set)).toEqual([
      { path: 'outcomes.job_start.price', value: 7000 },
      { path: 'end', value: '2026-06-30' },
      { path: 'benefit.refusion', value: [{ fromWeek: 1, rate: 0.5 }] },
    ]);
  });

  it('no refusal repeats an override path or value that could be a CPR number', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, fc.constantFrom('path', 'id', 'after'), ({ digits, written }, where) => {
        const run = () =>
          where === 'path'
            ? parseJsonBody(scenarioBody, JSON.stringify({ set: { [written]: 1 } }))
            : scenarioContract(stored, where === 'id' ? { 'outcomes.job_start.id': written } : { 'outcomes.sustainment.after': written });
        const error = refusal(run);
        expect(cprsIn(JSON.stringify([error.message, error.problems]), [digits])).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the work budget of one what-if', () => {
  const input = (participants: number, edit: Partial<StatementInput> = {}): StatementInput => ({
    contract: stored,
    weeks: Array.from({ length: participants }, (_, p) => series(`p${p}`, '2024-W02', 20, (i) => (i % 3 ? { training: 10 } : { ordinary: 25 }))).flat(),
    roster: [],
    asOf: '2024-06',
    ...edit,
  });

  it('grows with participants, runs and weeks, and counts the evaluated weeks without runs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 500 }), (participants, runs) => {
        const cost = scenarioCost(input(participants), runs).work;
        return cost > 0 && scenarioCost(input(participants + 1), runs).work > cost && scenarioCost(input(participants), runs + 1).work > cost;
      }),
      { numRuns: 30 },
    );
  });

  it('refuses with 422 above the budget and says how many runs fit', () => {
    const big = input(400);
    const error = refusal(() => checkScenarioCost(big, 5000));
    expect(error.status).toBe(422);
    const fits = Number(/runs: at most (\d+) fit/.exec(error.problems![0]!)?.[1]);
    expect(fits).toBeGreaterThan(0);
    expect(() => checkScenarioCost(big, fits)).not.toThrow();
    expect(() => checkScenarioCost(big, fits + 1)).toThrow(ApiError);
    expect(scenarioCost(big, fits).work).toBeLessThanOrEqual(MAX_SCENARIO_WORK);
  });

  it('refuses a scenario that could list more outcome payments than one answer may', () => {
    const many = testContract((doc) => {
      for (let i = 0; i < 20; i++) doc.outcomes.push({ id: `bonus_${i}`, rule: 'periodic', after: 'job_start', activities: ['training', 'ordinary'], minHours: 0, weeks: 1, times: 520, price: 1 } as never);
    });
    const error = refusal(() => checkScenarioCost(input(30, { contract: many, asOf: '2025-12' }), 0));
    expect(error.status).toBe(422);
    expect(error.message).toContain(`one answer may list ${MAX_OUTCOME_PAYMENTS}`);
  });

  it('the budget admits a realistic what-if of several hundred runs (its CPU time is measured by npm run bench, not here)', () => {
    const [realistic] = nationalScenario({ ...MONTH_12, partnerships: 1, participants: 200 });
    const perRun = scenarioCost(realistic!, 1).work - scenarioCost(realistic!, 0).work;
    const runs = Math.floor((MAX_SCENARIO_WORK - scenarioCost(realistic!, 0).work) / perRun);
    expect(runs).toBeGreaterThanOrEqual(300);
    expect(() => checkScenarioCost(realistic!, runs)).not.toThrow();
    expect(() => checkScenarioCost(realistic!, runs + 1)).toThrow();
  });
});

describe("a what-if uses the stored statement's seed and shows the difference to it (issue 9)", () => {
  const AS_OF = '2024-06';
  /** Careers that differ, so the projection has spread: work early, work late, training only, nothing after a start. */
  const careers = [
    ...series('P1', '2024-W02', 22, (i) => (i < 4 ? { training: 12 } : { ordinary: 25 })),
    ...series('P2', '2024-W03', 21, (i) => (i < 14 ? { training: 15, internship: i % 2 ? 8 : 0 } : { ordinary: 12 })),
    ...series('P3', '2024-W05', 19, (i) => (i % 5 === 4 ? undefined : { training: 10 })),
    ...series('P4', '2024-W08', 3, { training: 6 }),
    ...series('P5', '2024-W10', 12, (i) => (i < 6 ? { education: 20 } : { flexjob: 22 })),
  ];

  /** Another partnership's careers, pooled into this one's prior. */
  const otherCareers = (people: number) =>
    careerCountsOf({ contract: testContract((d) => (d.partnership = 'other')), weeks: Array.from({ length: people }, (_, p) => series(`o${p}`, '2024-W01', 20, (i) => (i < 8 ? { training: 12 } : { ordinary: 30 }))).flat(), asOf: AS_OF });

  /**
   * A partnership whose statement as of AS_OF was stored by the pipeline (its own
   * seed, the other partnership's careers pooled into its prior), and a caller of the what-if.
   */
  async function storedWorld(runs = 60) {
    const { world, deps } = inMemoryStores(testContract());
    world.weeks = careers;
    await deps().partnerships.putCareerCounts({ partnership: 'other', asOf: AS_OF, counts: otherCareers(3) });
    expect(await recalculatePartnership({ partnership: 'test', asOf: [AS_OF] }, deps({ runs }))).toMatchObject({ computed: [AS_OF] });
    const scenario = async (body: unknown) => JSON.parse(await runScenario('test', parseJsonBody(scenarioBody, JSON.stringify(body)), deps())) as ScenarioResult;
    return { world, deps, stored: world.statements.get(AS_OF)!, scenario };
  }

  /** Every number of a difference, by path. */
  const numbersOf = (value: unknown, path = ''): [string, number][] =>
    typeof value === 'number' ? [[path, value]] : Object.entries(value as object).flatMap(([key, inner]) => numbersOf(inner, path ? `${path}.${key}` : key));

  it('the same body twice gives the same answer', async () => {
    const { scenario } = await storedWorld();
    const body = { asOf: AS_OF, set: { 'benefit.weeklyRate': 3100 } };
    expect(await scenario(body)).toEqual(await scenario(body));
  });

  it("without overrides or a seed it reproduces the stored statement: every difference is exactly 0", async () => {
    const { stored, scenario } = await storedWorld();
    const result = await scenario({ asOf: AS_OF });
    // the pipeline seeds by (partnership, month) and pools the other partnership: reusing both is what is tested
    expect(stored.manifest!.seed).not.toBe(DEFAULT_SEED);
    expect(stored.statement.projection!.basis.prior.source).toBe('pooled');
    expect(result.baseline).toEqual({ asOf: AS_OF, seed: stored.manifest!.seed, runs: 60, computedAt: stored.computedAt, samePrior: true });
    expect(result.projection).toMatchObject({ seed: stored.manifest!.seed, runs: 60, basis: stored.statement.projection!.basis });
    const differences = numbersOf(result.difference);
    expect(differences.map(([path]) => path)).toEqual([
      ...['outcomePayments', 'municipalSavings', 'attributableSavings', 'fees', 'net'].map((key) => `totals.${key}`),
      ...['outcomePayments', 'municipalSavings', 'net'].flatMap((key) => ['p10', 'p50', 'p90'].map((q) => `projection.${key}.${q}`)),
      'projection.probabilityNetNonNegative',
    ]);
    for (const [path, difference] of differences) expect(difference, path).toBe(0);
    // ... and not because the projection is flat: the band has width
    expect(stored.statement.projection!.municipalSavings.p90).toBeGreaterThan(stored.statement.projection!.municipalSavings.p10);
  });

  it('a higher price for a job start raises the outcome payments by exactly what was reached, and the projected ones too', async () => {
    const { stored, scenario } = await storedWorld();
    const starts = stored.statement.outcomes.filter((o) => o.outcome === 'job_start' && o.amount > 0).length;
    expect(starts).toBeGreaterThan(0);
    const result = await scenario({ asOf: AS_OF, set: { 'outcomes.job_start.price': 20000 } });
    expect(result.difference!.totals.outcomePayments).toBeGreaterThan(0);
    expect(result.difference!.totals.outcomePayments).toBe(starts * (20000 - 15000));
    expect(result.difference!.totals.net).toBe(-result.difference!.totals.outcomePayments);
    expect(result.difference!.totals.municipalSavings).toBe(0);
    expect(result.difference!.projection!.outcomePayments.p50).toBeGreaterThan(0);
  });

  it('an explicit seed or runs wins over the stored ones; the totals do not depend on them', async () => {
    const { stored, scenario } = await storedWorld();
    const result = await scenario({ asOf: AS_OF, seed: 7, runs: 40 });
    expect(result.projection).toMatchObject({ seed: 7, runs: 40 });
    expect(result.baseline!.seed).toBe(stored.manifest!.seed);
    for (const [path, difference] of numbersOf(result.difference!.totals)) expect(difference, path).toBe(0);
  });

  it("keeps the statement's own prior when the other partnerships' careers move on, so the difference stays the overrides' alone", async () => {
    const { deps, scenario, stored } = await storedWorld();
    await deps().partnerships.putCareerCounts({ partnership: 'other', asOf: '2024-07', counts: otherCareers(5) });
    const result = await scenario({ asOf: AS_OF });
    expect(result.baseline!.samePrior).toBe(true);
    expect(result.projection!.basis.prior).toEqual(stored.statement.projection!.basis.prior);
    for (const [path, difference] of numbersOf(result.difference!)) expect(difference, path).toBe(0);
  });

  it('falls back to the programme prior of now, and says so, when the statement names a prior that is not kept', async () => {
    const { world, scenario } = await storedWorld();
    world.priors.clear();
    await world.careers.set('other', { partnership: 'other', asOf: '2024-07', counts: otherCareers(5) });
    const result = await scenario({ asOf: AS_OF });
    expect(result.baseline!.samePrior).toBe(false);
    expect(result.projection!.basis.prior).toMatchObject({ source: 'pooled', participantWeeks: otherCareers(5).participantWeeks });
    // the figures up to the month do not depend on the prior
    for (const [path, difference] of numbersOf(result.difference!.totals)) expect(difference, path).toBe(0);
  });

  it('baseline is null, with no difference, when no statement is stored for the month; the defaults apply then', async () => {
    const { scenario } = await storedWorld();
    const result = await scenario({ asOf: '2024-05', runs: 20 });
    expect(result.baseline).toBeNull();
    expect(result).not.toHaveProperty('difference');
    expect(result.projection!.seed).toBe(DEFAULT_SEED);
  });

  it("runs and seed: the body's, else the stored statement's (manifest, else projection; runs at most MAX_RUNS), else the defaults", () => {
    const stored = (manifest: { seed: number; runs: number } | undefined, projection?: { seed: number; runs: number }) =>
      ({ statement: { projection }, manifest, computedAt: '2024-03-01T00:00:00.000Z' }) as unknown as StoredStatement;
    expect(scenarioRun({}, undefined)).toEqual({ runs: DEFAULT_RUNS, seed: DEFAULT_SEED });
    expect(scenarioRun({}, stored({ seed: 99, runs: 250 }))).toEqual({ runs: 250, seed: 99 });
    expect(scenarioRun({}, stored({ seed: 99, runs: 20_000 }))).toEqual({ runs: MAX_RUNS, seed: 99 });
    expect(scenarioRun({}, stored(undefined, { seed: 5, runs: 300 }))).toEqual({ runs: 300, seed: 5 });
    expect(scenarioRun({}, stored(undefined))).toEqual({ runs: 0, seed: DEFAULT_SEED });
    expect(scenarioRun({ runs: 10, seed: 3 }, stored({ seed: 99, runs: 250 }))).toEqual({ runs: 10, seed: 3 });
  });
});
