import { describe, expect, it } from 'vitest';
import { B, BUCKET_OF, LEFT, NONE, observeCareers, S, STATES, stateOf } from '../../shared/simulation/careers.ts';
import { buildProjectionModel } from '../../shared/simulation/projection-model.ts';
import { percentile, simulateRuns, summariseRuns } from '../../shared/simulation/projection.ts';
import { dayNumber } from '../../shared/weeks/iso-week.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import { evaluate } from '../../shared/simulation/statement.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { rosterRow, series, testContract, week, type Hours } from './builders.ts';

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
  const BASIS = { participants: 4, plannedReferrals: 0, observedParticipantWeeks: 40, priorWeight: 0.5, prior: { source: 'default' as const, partnerships: 4, participantWeeks: 2529 } };
  it('bands per column, rounded to øre, and the share of runs with net ≥ 0', () => {
    // Runs as (outcome payments, municipal savings, net).
    const results = Float64Array.from([100, 1000, -50, 400, 4000, -5, 300, 2000, 0, 200, 3000, 10]);
    const projection = summariseRuns(results, 42, '2026-W01', BASIS);
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
      basis: BASIS,
    });
  });

  it('rounds to øre', () => {
    const projection = summariseRuns(Float64Array.from([1 / 3, 2 / 3, -1 / 3]), 1, 'x', BASIS);
    expect(projection.outcomePayments).toEqual({ p10: 0.33, p50: 0.33, p90: 0.33 });
    expect(projection.municipalSavings).toEqual({ p10: 0.67, p50: 0.67, p90: 0.67 });
    expect(projection.probabilityNetNonNegative).toBe(0);
  });
});

describe('simulate: the projection to the contract end', () => {
  it('a cohort in full-time jobs keeps its weeks: the band holds the "everyone stays" outcome near its top, by hand', () => {
    // Contract 2024-01-01 – 2024-03-31 (W01–W13); P1 in 30 h ordinary W01–W04; as of January (W04).
    const contract = testContract((d) => {
      d.end = '2024-03-31';
      d.deadweight = 0.25;
      d.programmeFee = 10000;
      d.maxPerParticipant = 80000;
    });
    const result = simulate({ contract, weeks: series('P1', '2024-W01', 4, { ordinary: 30 }), asOf: '2024-01' }, { runs: 200, seed: 7 });
    // If the job goes on (30 h weeks W05–W13): job_start 15000 in W01; sustained_13 25000 in W13.
    // Reduction min(2900, 30 × 120) = 2900 a week; W01–W04 at r 0.8: 4 × 580 = 2320; W05–W13 at 0.4: 9 × 1740 = 15660.
    // Municipal 17980. A holiday week or a lost job can only take weeks away, so no run saves more than
    // that; the sustained_13 payment needs every remaining week, which four weeks of evidence cannot promise.
    const { byMonth, basis, ...end } = result.projection!;
    expect(end.outcomePayments.p10).toBeGreaterThanOrEqual(15000);
    expect(end.outcomePayments.p90).toBeLessThanOrEqual(40000);
    expect(end.municipalSavings.p90).toBeLessThanOrEqual(17980);
    expect(end.municipalSavings.p50).toBeGreaterThan(17980 - 2 * 1740);
    expect(end.until).toBe('2024-W13');
    expect(basis).toMatchObject({ participants: 1, plannedReferrals: 0, observedParticipantWeeks: 4, prior: { source: 'default' } });
    // Month by month: W05–W09 are February's (Thursdays 1, 8, 15, 22, 29 Feb); W10–W13 March's.
    expect(byMonth!.map((m) => m.month)).toEqual(['2024-02', '2024-03']);
    expect(byMonth![0]!.outcomePayments).toEqual({ p10: 15000, p50: 15000, p90: 15000 });
    expect(byMonth![1]).toEqual({ month: '2024-03', outcomePayments: end.outcomePayments, municipalSavings: end.municipalSavings, net: end.net });
    // The statement itself stops at January: W01–W04 only.
    expect(result.totals).toMatchObject({ outcomePayments: 15000, municipalSavings: 2320 });
  });

  it('a partnership with participants still ahead of them never gets a zero-width band', () => {
    // Two participants seen for four weeks of training, three more referred later on the roster.
    const contract = testContract();
    const weeks = [...series('A', '2024-W01', 4, { training: 12 }), ...series('B', '2024-W02', 3, { training: 10 })];
    const roster = ['C', 'D', 'E'].map((participant, i) => ({ participant, partnership: contract.partnership, referralDay: dayNumber(2024, 3 + i, 4) }));
    const { projection } = simulate({ contract, weeks, roster, asOf: '2024-01' }, { runs: 400, seed: 3 });
    expect(projection!.municipalSavings.p10).toBeLessThan(projection!.municipalSavings.p90);
    expect(projection!.net.p10).toBeLessThan(projection!.net.p90);
    expect(projection!.outcomePayments.p10).toBeLessThan(projection!.outcomePayments.p90);
    expect(projection!.basis).toMatchObject({ participants: 5, plannedReferrals: 3, observedParticipantWeeks: 4 + 3 });
    expect(projection!.basis.priorWeight).toBeGreaterThan(0.9); // seven weeks are little: the prior carries it
  });

  it('a Christmas week at the as-of month moves P50 no more than a normal month does', () => {
    // 30 people in 30 h jobs since 2023, everyone off in the Christmas weeks (2023-W52, 2024-W52).
    const contract = testContract((d) => ((d.start = '2023-01-02'), (d.end = '2025-12-31')));
    const weeks = Array.from({ length: 30 }, (_, p) =>
      series(`P${p}`, '2023-W01', 104, (i) => (i === 51 || i === 103 ? undefined : { ordinary: 30 })),
    ).flat();
    const p50 = (asOf: string) => simulate({ contract, weeks, asOf }, { runs: 300, seed: 5 }).projection!.municipalSavings.p50;
    const [october, november, december] = ['2024-10', '2024-11', '2024-12'].map(p50) as [number, number, number];
    // November → December crosses Christmas (2024-W52 is December's last week, without hours for anyone).
    expect(Math.abs(december - november)).toBeLessThanOrEqual(Math.abs(november - october) + 0.01 * november);
  });
});

describe('how weeks are read (careers.ts) and what the model makes of them', () => {
  const contract = testContract();
  const careersOf = (weeks: WeeklyHours[], asOf: string, roster = [rosterRow('A', '2024-01-01')]) => observeCareers(evaluate({ contract, weeks, roster, asOf }));

  it('a short week before a holiday does not make a full-time job part-time; weeks of fewer hours do', () => {
    // 10 weeks of a 30 h job (W01–W10), then W11 short (12 h) and nothing since: as of March (W13), a pause after a short week.
    const short = series('A', '2024-W01', 11, (i) => ({ ordinary: i === 10 ? 12 : 30 }));
    expect(careersOf(short, '2024-03').start[0]).toMatchObject({ state: 4, gap: 2 });
    // Three of the last five weeks with paid hours under 20: the job itself is part-time now.
    const cut = series('A', '2024-W01', 11, (i) => ({ ordinary: i >= 8 ? 12 : 30 }));
    expect(careersOf(cut, '2024-03').start[0]).toMatchObject({ state: 3, gap: 2 });
  });

  it('weeks in a state with hours add up over its spells: a training broken by an internship does not start over', () => {
    // 10 weeks of training, 2 of internship, 3 more of training (W01–W15); as of April (W17, two weeks without hours: a running pause).
    const weeks = series('A', '2024-W01', 15, (i) => (i >= 10 && i < 12 ? { internship: 20 } : { training: 20 }));
    const start = careersOf(weeks, '2024-04').start[0]!;
    expect(STATES[start.state]).toBe('training');
    expect(start.weeks[1]).toBe(13); // not 3
    expect(start.weeks[2]).toBe(2);
    expect(start.gap).toBe(2);
  });

  it('a long run without hours is "none", which can still end in hours; only a roster exit is "left"', () => {
    // Five weeks of a job, then nothing for 34 weeks (W06–W39); as of September (W39).
    const weeks = series('A', '2024-W01', 5, { ordinary: 30 });
    const { start, counts } = careersOf(weeks, '2024-09');
    expect(start[0]).toMatchObject({ state: NONE, gap: 0 });
    expect(start[0]!.weeks[NONE]).toBe(weeksInSeptember2024 - 5);
    const fromNone = (bucket: number, to: number) => counts.transitions[(NONE * B + bucket) * S + to]!;
    expect(fromNone(BUCKET_OF[30]!, NONE)).toBeGreaterThan(0); // 30 weeks without hours and still "none"
    // As of June the same 20 weeks without hours are still a pause that may end (a workplace closed for a winter).
    expect(careersOf(weeks, '2024-06').start[0]).toMatchObject({ state: 4, gap: weeksInJune2024 - 5 });
    expect(counts.transitions.filter((_, i) => i % S === LEFT).every((n) => n === 0)).toBe(true);
    // The same weeks with an exit on the roster in week 8: "left" after it, and nobody to project.
    const exited = careersOf(weeks, '2024-09', [rosterRow('A', '2024-01-01', { exitDay: dayNumber(2024, 2, 22) })]);
    expect(exited.start[0]).toBeUndefined();
    expect(exited.counts.transitions.filter((_, i) => i % S === LEFT).reduce((a, n) => a + n, 0)).toBe(1);
  });

  it('many people without hours in the same weeks makes a running gap likelier a pause than one person alone', () => {
    // 20 people in 30 h jobs since January; as of May (W22) either all 20 or only P0 have had no hours for 3 weeks.
    const cohort = (inGap: (p: number) => boolean) =>
      Array.from({ length: 20 }, (_, p) => series(`P${p}`, '2024-W01', 22, (i) => (i >= 19 && inGap(p) ? undefined : { ordinary: 30 }))).flat();
    const resumeOf = (weeks: WeeklyHours[]) => {
      const model = buildProjectionModel(evaluate({ contract, weeks, asOf: '2024-05' }));
      return model.resume[3 * S + 4]!; // a 3-week gap in a job of 20 h or more
    };
    const all = resumeOf(cohort(() => true));
    const one = resumeOf(cohort((p) => p === 0));
    expect(all).toBeGreaterThan(one);
    expect(all).toBeGreaterThan(0.5);
  });

  it('a wage subsidy the partnership has seen turn into an ordinary job does so in the projection too', () => {
    // P1–P4: 13 weeks of wage subsidy, then ordinary hours (W01–W30); P0 in its fourth week of wage subsidy (W27–W30).
    const weeks = [
      ...[1, 2, 3, 4].flatMap((p) => series(`P${p}`, '2024-W01', 30, (i) => (i < 13 ? { wage_subsidy: 30 } : { ordinary: 30 }))),
      ...series('P0', '2024-W27', 4, { wage_subsidy: 30 }),
    ];
    const evaluation = evaluate({ contract, weeks, asOf: '2024-07' });
    const model = buildProjectionModel(evaluation);
    const p0 = evaluation.cohort.ids.indexOf('P0');
    const costAt = (weeksIn: number) => model.cost[(p0 * S + 4) * B + BUCKET_OF[weeksIn]!]!;
    expect(costAt(4)).toBe(30 * 95); // now: the subsidy costs the municipality 95 kr. an hour
    expect(costAt(60)).toBe(0); // a year on: an ordinary job
    expect(model.reduction[(p0 * S + 4) * B + BUCKET_OF[60]!]).toBe(model.reduction[(p0 * S + 4) * B + BUCKET_OF[4]!]); // the same paid hours
  });
});

/** Weeks from 2024-W01 to June 2024's last week (W26, Thursday 27 June). */
const weeksInJune2024 = 26;
const weeksInSeptember2024 = 39;

describe('simulate: runs', () => {
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
    expect(simulate(input, { runs: 1000, seed: 99 }).projection).toMatchObject(summariseRuns(whole, 99, '2026-W01', model.basis));
  });

  it('runs: 0 leaves the projection out; the evaluation state is not changed by running', () => {
    expect(simulate(input, { runs: 0, seed: 1 })).not.toHaveProperty('projection');
    const evaluation = evaluate(input);
    const before = { totals: { ...evaluation.state.totals }, paid: Array.from(evaluation.state.paidToParticipant) };
    simulateRuns(evaluation, buildProjectionModel(evaluation), 5, 0, 50);
    expect({ totals: evaluation.state.totals, paid: Array.from(evaluation.state.paidToParticipant) }).toEqual(before);
  });
});
