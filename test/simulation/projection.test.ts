import { describe, expect, it } from 'vitest';
import { buildProjectionModel, LEFT_AFTER_WEEKS, percentile, simulateRuns, STATES, stateOf, summariseRuns } from '../../shared/simulation/projection.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import { evaluate } from '../../shared/simulation/statement.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { series, testContract, week, type Hours } from './builders.ts';

const S = STATES.length;
const state = (hours: Hours) => STATES[stateOf(week('P', '2024-W01', hours).centiHours)];

describe('stateOf: the state of an observed week', () => {
  it.each<[Hours, (typeof STATES)[number]]>([
    [{}, 'none'],
    [{ absence: 37 }, 'none'], // absence is not activity
    [{ training: 10 }, 'training'],
    [{ training: 10, internship: 0.01 }, 'internship'],
    [{ internship: 30, education: 1 }, 'education'],
    [{ education: 30, ordinary: 0.01 }, 'paid_under_20'], // any paid hours beat education
    [{ ordinary: 19.99 }, 'paid_under_20'],
    [{ ordinary: 20 }, 'paid_20_plus'], // 20 h exactly is "20 h or more"
    [{ ordinary: 10, flexjob: 5, wage_subsidy: 5 }, 'paid_20_plus'], // paid = ordinary + flexjob + wage subsidy
    [{ wage_subsidy: 37 }, 'paid_20_plus'],
  ])('%o → %s', (hours, expected) => {
    expect(state(hours)).toBe(expected);
  });
});

describe('percentile (R type 7: linear between closest ranks)', () => {
  const sorted = (...values: number[]) => Float64Array.from(values);

  it.each([
    // [values, q, expected, by hand: position (n − 1)q, then low + (high − low) × fraction]
    [[1, 2, 3, 4], 0.5, 2.5], // 1.5 → 2 + 0.5 × (3 − 2)
    [[1, 2, 3, 4], 0.1, 1.3], // 0.3 → 1 + 0.3 × 1
    [[1, 2, 3, 4], 0.9, 3.7], // 2.7 → 3 + 0.7 × 1
    [[10, 20, 40, 80, 160], 0.1, 14], // 0.4 → 10 + 0.4 × 10
    [[10, 20, 40, 80, 160], 0.5, 40], // 2 → exactly the middle value
    [[10, 20, 40, 80, 160], 0.9, 128], // 3.6 → 80 + 0.6 × 80
    [[10, 20, 40, 80, 160], 0, 10], // the minimum
    [[10, 20, 40, 80, 160], 1, 160], // the maximum
    [[-50, -5, 0, 10], 0.1, -36.5], // 0.3 → −50 + 0.3 × 45
    [[7], 0.9, 7], // one value is every percentile
  ])('%j at %f = %f', (values, q, expected) => {
    expect(percentile(sorted(...values), q)).toBeCloseTo(expected, 10);
  });
});

describe('summariseRuns', () => {
  it('bands per column, rounded to øre, and the share of runs with net ≥ 0', () => {
    // Runs as (outcome payments, municipal savings, net).
    const results = Float64Array.from([100, 1000, -50, 400, 4000, -5, 300, 2000, 0, 200, 3000, 10]);
    const projection = summariseRuns(results, 42, '2026-W01');
    expect(projection).toEqual({
      runs: 4,
      seed: 42,
      until: '2026-W01',
      // payments sorted 100, 200, 300, 400: positions 0.3, 1.5, 2.7
      outcomePayments: { p10: 130, p50: 250, p90: 370 },
      municipalSavings: { p10: 1300, p50: 2500, p90: 3700 },
      // net sorted −50, −5, 0, 10: −50 + 0.3 × 45 = −36.5; −5 + 0.5 × 5 = −2.5; 0 + 0.7 × 10 = 7
      net: { p10: -36.5, p50: -2.5, p90: 7 },
      probabilityNetNonNegative: 0.5, // 0 and 10 of 4 runs
    });
  });

  it('rounds to øre', () => {
    const projection = summariseRuns(Float64Array.from([1 / 3, 2 / 3, -1 / 3]), 1, 'x');
    expect(projection.outcomePayments).toEqual({ p10: 0.33, p50: 0.33, p90: 0.33 });
    expect(projection.municipalSavings).toEqual({ p10: 0.67, p50: 0.67, p90: 0.67 });
    expect(projection.probabilityNetNonNegative).toBe(0);
  });
});

describe('buildProjectionModel', () => {
  const contract = testContract((d) => {
    d.outcomes = [
      { id: 'job', rule: 'first_week', activities: ['ordinary', 'flexjob'], minHours: 10, price: 100 },
      { id: 'edu', rule: 'first_week', activities: ['education'], minHours: 10, price: 100 },
    ];
  });

  it('smoothed transition frequencies, start states and per-state features, by hand', () => {
    // P1: training, training, 25 h ordinary, 15 h ordinary + 5 h flexjob (W01–W04). P2: training all four weeks.
    const weeks = [
      week('P1', '2024-W01', { training: 10 }),
      week('P1', '2024-W02', { training: 10 }),
      week('P1', '2024-W03', { ordinary: 25 }),
      week('P1', '2024-W04', { ordinary: 15, flexjob: 5 }),
      ...series('P2', '2024-W01', 4, { training: 12 }),
    ];
    const evaluation = evaluate({ contract, weeks, asOf: '2024-01' }); // January = W01–W04
    const model = buildProjectionModel(evaluation);
    const T = 1, P20 = 4; // training, paid_20_plus
    // Transitions: training→training 1 (P1) + 3 (P2) = 4; training→paid20 1; paid20→paid20 1; 6 in all.
    // Pooled destination frequencies: training 4/6 = 2/3, paid20 2/6 = 1/3.
    // Row training (5 transitions): (4 + 2/3) / 6 = 7/9 and (1 + 1/3) / 6 = 2/9.
    // Row paid20 (1 transition): (0 + 2/3) / 2 = 1/3 and (1 + 1/3) / 2 = 2/3.
    // Rows never left from (none, internship, …): the pooled frequencies, 2/3 and 1/3.
    const row = (s: number) => Array.from(model.cumulative.subarray(s * S, s * S + S));
    const expectRow = (s: number, expected: number[]) => expected.forEach((v, j) => expect(row(s)[j]).toBeCloseTo(v, 12));
    expectRow(T, [0, 7 / 9, 7 / 9, 7 / 9, 1, 1, 1]);
    expectRow(P20, [0, 1 / 3, 1 / 3, 1 / 3, 1, 1, 1]);
    expectRow(0, [0, 2 / 3, 2 / 3, 2 / 3, 1, 1, 1]);
    expectRow(2, [0, 2 / 3, 2 / 3, 2 / 3, 1, 1, 1]);
    expect(row(6)).toEqual([0, 0, 0, 0, 0, 0, 1]); // left is for good
    expect(Array.from(model.startState)).toEqual([P20, T]); // P1 ends in paid20, P2 in training

    const at = (p: number, s: number) => ({ qualifies: model.qualifies[p * S + s], reduction: model.reduction[p * S + s], cost: model.cost[p * S + s] });
    // P1 in paid20: its latest such week, 15 + 5 h: job qualifies (bit 0), reduction 20 × 120 = 2400, cost 5 × 70 = 350.
    expect(at(0, P20)).toEqual({ qualifies: 1, reduction: 2400, cost: 350 });
    // P2 was never paid: the average paid20 week, ordinary (25 + 15) / 2 = 20 h, flexjob (0 + 5) / 2 = 2.5 h:
    // reduction 22.5 × 120 = 2700, cost 2.5 × 70 = 175.
    expect(at(1, P20)).toEqual({ qualifies: 1, reduction: 2700, cost: 175 });
    // Training and states nobody was in: no reduction, nothing qualifies.
    expect(at(1, T)).toEqual({ qualifies: 0, reduction: 0, cost: 0 });
    expect(at(0, 5)).toEqual({ qualifies: 0, reduction: 0, cost: 0 });
    expect(at(0, 0)).toEqual({ qualifies: 0, reduction: 0, cost: 0 });
  });

  it(`a participant without hours for the last ${LEFT_AFTER_WEEKS} weeks has left; 12 idle weeks are not enough`, () => {
    // As of March 2024 (last week W13). A: training in W01 only, then W02–W13 idle = 12 weeks.
    // B: training in 2023-W52 only (its referral week), then 2024-W01–W13 idle = 13 weeks.
    const weeks = [week('A', '2024-W01', { training: 10 }), week('B', '2023-W52', { training: 10 })];
    expect(LEFT_AFTER_WEEKS).toBe(13);
    const model = buildProjectionModel(evaluate({ contract, weeks, asOf: '2024-03' }));
    expect(Array.from(model.startState).map((s) => STATES[s])).toEqual(['none', 'left']);
  });
});

describe('simulate: the projection to the contract end', () => {
  it('a full-time job continues exactly: p10 = p50 = p90, by hand', () => {
    // Contract 2024-01-01 – 2024-03-31 (W01–W13); P1 in 30 h ordinary W01–W04; as of January (W04).
    const contract = testContract((d) => {
      d.end = '2024-03-31';
      d.deadweight = 0.25;
      d.programmeFee = 10000;
      d.maxPerParticipant = 80000;
    });
    const result = simulate({ contract, weeks: series('P1', '2024-W01', 4, { ordinary: 30 }), asOf: '2024-01' }, { runs: 20, seed: 7 });
    // Only ever paid20 → paid20, so every run keeps the 30 h weeks W05–W13:
    // job_start 15000 in W01; sustained_13 (13 weeks ≥ 20 h) 25000 in W13; sustainment would start after W13: none.
    // Reduction min(2900, 30 × 120) = 2900 a week; W01–W04 at r 0.8: 4 × 580 = 2320; W05–W13 at 0.4: 9 × 1740 = 15660.
    // Municipal 17980; attributable 17980 × 0.75 = 13485; net 13485 − 40000 − 10000 = −36515.
    const { byMonth, ...end } = result.projection!;
    expect(end).toEqual({
      runs: 20,
      seed: 7,
      until: '2024-W13',
      outcomePayments: { p10: 40000, p50: 40000, p90: 40000 },
      municipalSavings: { p10: 17980, p50: 17980, p90: 17980 },
      net: { p10: -36515, p50: -36515, p90: -36515 },
      probabilityNetNonNegative: 0,
    });
    // Month by month: W05–W09 are February's (Thursdays 1, 8, 15, 22, 29 Feb); W10–W13 March's.
    // End of February: payments 15000; municipal 2320 + 5 × 1740 = 11020.
    expect(byMonth!.map((m) => m.month)).toEqual(['2024-02', '2024-03']);
    expect(byMonth![0]!.outcomePayments).toEqual({ p10: 15000, p50: 15000, p90: 15000 });
    expect(byMonth![0]!.municipalSavings).toEqual({ p10: 11020, p50: 11020, p90: 11020 });
    expect(byMonth![1]).toEqual({ month: '2024-03', outcomePayments: end.outcomePayments, municipalSavings: end.municipalSavings, net: end.net });
    // The statement itself stops at January: W01–W04 only.
    expect(result.totals).toMatchObject({ outcomePayments: 15000, municipalSavings: 2320 });
  });

  /** A varied cohort over the first half of 2024, so that runs differ. */
  function variedCohort(): WeeklyHours[] {
    const pattern: Hours[] = [{ training: 15 }, { internship: 25 }, { ordinary: 12 }, { ordinary: 25 }, {}, { education: 20 }, { flexjob: 22 }];
    const weeks: WeeklyHours[] = [];
    for (let p = 0; p < 6; p++) {
      weeks.push(...series(`P${p}`, '2024-W01', 26, (i) => {
        const h = pattern[(i * (p + 1) + Math.floor(i / 3)) % pattern.length]!;
        return Object.keys(h).length === 0 ? undefined : h;
      }));
    }
    return weeks;
  }
  const contract = testContract((d) => (d.programmeFee = 100000));
  const input = { contract, weeks: variedCohort(), asOf: '2024-06' };

  it('the same seed gives the same projection; another seed a different one', () => {
    const a = simulate(input, { runs: 300, seed: 123 });
    const b = simulate(input, { runs: 300, seed: 123 });
    const c = simulate(input, { runs: 300, seed: 124 });
    expect(a.projection).toEqual(b.projection);
    expect(c.projection).not.toEqual(a.projection);
    // it is a real spread, not a constant
    expect(a.projection!.net.p10).toBeLessThan(a.projection!.net.p90);
    // 2025-12-31 is a Wednesday in ISO week 2026-W01
    expect(a.projection!.until).toBe('2026-W01');
  });

  it('runs split [0, 500) + [500, 1000) give exactly the runs of [0, 1000)', () => {
    const evaluation = evaluate(input);
    const model = buildProjectionModel(evaluation);
    const whole = simulateRuns(evaluation, model, 99, 0, 1000);
    const split = new Float64Array(3000);
    split.set(simulateRuns(evaluation, model, 99, 0, 500), 0);
    split.set(simulateRuns(evaluation, model, 99, 500, 1000), 1500);
    expect(split).toEqual(whole);
    const three = [simulateRuns(evaluation, model, 99, 0, 1), simulateRuns(evaluation, model, 99, 1, 777), simulateRuns(evaluation, model, 99, 777, 1000)];
    expect(Float64Array.from(three.flatMap((r) => Array.from(r)))).toEqual(whole);
    // and simulate() is those runs summarised
    expect(simulate(input, { runs: 1000, seed: 99 }).projection).toMatchObject(summariseRuns(whole, 99, '2026-W01'));
  });

  it('runs: 0 leaves the projection out; the evaluation state is not changed by running', () => {
    expect(simulate(input, { runs: 0, seed: 1 })).not.toHaveProperty('projection');
    const evaluation = evaluate(input);
    const before = { totals: { ...evaluation.state.totals }, paid: Array.from(evaluation.state.paidToParticipant) };
    simulateRuns(evaluation, buildProjectionModel(evaluation), 5, 0, 50);
    expect({ totals: evaluation.state.totals, paid: Array.from(evaluation.state.paidToParticipant) }).toEqual(before);
  });
});
