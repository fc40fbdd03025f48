import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError, parseJsonBody } from '../../shared/api/request.ts';
import { checkScenarioCost, DATE_MARGIN_YEARS, MAX_OUTCOME_PAYMENTS, MAX_SCENARIO_WORK, overridesOfBody, scenarioBody, scenarioContract, scenarioCost } from '../../shared/api/scenario.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import type { StatementInput } from '../../shared/simulation/statement.ts';
import { MONTH_12, nationalScenario } from '../../bench/national-scenario.ts';
import { arbitraryCprWriting } from '../support/cpr-spellings.ts';
import { cprsIn } from '../support/leak-scan.ts';
import { series, testContract } from '../simulation/builders.ts';
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
    expect(parseJsonBody(scenarioBody, '{}')).toEqual({ set: {}, runs: 1000, seed: 1 });
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

  it('the largest what-if the budget allows takes under 2.5 s of CPU here (so ≤ 5 s on a slower Lambda core)', () => {
    const [realistic] = nationalScenario({ ...MONTH_12, partnerships: 1, participants: 200 });
    const perRun = scenarioCost(realistic!, 1).work - scenarioCost(realistic!, 0).work;
    const runs = Math.floor((MAX_SCENARIO_WORK - scenarioCost(realistic!, 0).work) / perRun);
    expect(() => checkScenarioCost(realistic!, runs)).not.toThrow();
    // CPU time of this thread, not wall time: the machine's other load does not count against the budget.
    const cpu = process.threadCpuUsage();
    simulate(realistic!, { runs, seed: 1 });
    const used = process.threadCpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(2500);
  });
});
