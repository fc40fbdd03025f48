import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weeksOfMonth } from '../../shared/simulation/cohort.ts';
import type { Contract } from '../../shared/simulation/contract.ts';
import { compileContract } from '../../shared/simulation/evaluator.ts';
import { buildProjectionModel } from '../../shared/simulation/projection-model.ts';
import { simulateRuns } from '../../shared/simulation/projection.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import { evaluate } from '../../shared/simulation/statement.ts';
import { ACTIVITIES } from '../../shared/weekly-hours/activities.ts';
import { weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';
import { monthOfWeek } from '../support/week-labels.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { addWeeks, testContract } from './builders.ts';

/*
 * Properties of sections 6–8 over random contracts and hours. The test contract
 * starts Mon 2024-01-01 (2024-W01); weeks are generated as offsets from it.
 */

const START = '2024-W01';
const price = fc.integer({ min: 0, max: 30000 });
const minHours = fc.integer({ min: 0, max: 40 });
const activities = fc.subarray([...ACTIVITIES], { minLength: 1 });

const oneOff = fc.oneof(
  fc.record({ rule: fc.constant('referral' as const), price }),
  fc.record({ rule: fc.constant('first_week' as const), activities, minHours, price }),
  fc.record({ rule: fc.constant('cumulative_weeks' as const), activities, minHours, weeks: fc.integer({ min: 1, max: 6 }), price }),
);
const periodic = fc.record({
  activities,
  minHours,
  weeks: fc.integer({ min: 1, max: 6 }),
  times: fc.integer({ min: 1, max: 5 }),
  price,
  after: fc.nat(),
  position: fc.nat(),
});

/** A random valid contract from 2024-01-01 over 10–80 weeks. */
const contractArb = fc
  .record({
    oneOffs: fc.array(oneOff, { minLength: 1, maxLength: 4 }),
    periodics: fc.array(periodic, { maxLength: 2 }),
    weeks: fc.integer({ min: 10, max: 80 }),
    cap: fc.integer({ min: 0, max: 120000 }),
    maxPerParticipant: fc.integer({ min: 0, max: 60000 }),
    deadweight: fc.double({ min: 0, max: 1, noNaN: true }),
    programmeFee: fc.integer({ min: 0, max: 500000 }),
    priorWeeksOnBenefit: fc.integer({ min: 0, max: 60 }),
  })
  .map((r): Contract => {
    const outcomes: Record<string, unknown>[] = r.oneOffs.map((o, i) => ({ id: `o${i}`, ...o }));
    r.periodics.forEach(({ after, position, ...p }, i) => {
      outcomes.splice(position % (outcomes.length + 1), 0, { id: `p${i}`, rule: 'periodic', after: `o${after % r.oneOffs.length}`, ...p });
    });
    return testContract((d) => {
      d.outcomes = outcomes;
      d.cap = r.cap;
      d.maxPerParticipant = r.maxPerParticipant;
      d.deadweight = r.deadweight;
      d.programmeFee = r.programmeFee;
      d.benefit.priorWeeksOnBenefit = r.priorWeeksOnBenefit;
      // end = the Sunday `weeks` weeks after the start
      d.end = new Date(Date.UTC(2024, 0, 7 * r.weeks)).toISOString().slice(0, 10);
    });
  });

const centi = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 4000 }));
const centiHours = fc.array(centi, { minLength: ACTIVITIES.length, maxLength: ACTIVITIES.length });
const IDS = ['A', 'B', 'P1', 'P10', 'P2', 'a'];

/** Random sparse hours of 1–4 participants, from 4 weeks before the start to 70 after. */
const hoursArb = fc
  .uniqueArray(fc.constantFrom(...IDS), { minLength: 1, maxLength: 4 })
  .chain((ids) => fc.tuple(...ids.map((id) => fc.array(fc.record({ offset: fc.integer({ min: -4, max: 70 }), centiHours }), { minLength: 1, maxLength: 25 }).map((rows) => rows.map((row): WeeklyHours => ({ participant: id, week: addWeeks(START, row.offset), centiHours: row.centiHours, estimated: false }))))))
  .map((perParticipant) => perParticipant.flat());

const monthArb = fc.integer({ min: 0, max: 20 }).map((n) => new Date(Date.UTC(2024, n, 1)).toISOString().slice(0, 7));

const EPS = 1e-6;

describe('payments never exceed the caps (spec 6)', () => {
  it('per participant ≤ maxPerParticipant, in total ≤ cap, each amount in [0, price], totals = Σ amounts', () => {
    fc.assert(
      fc.property(contractArb, hoursArb, monthArb, (contract, weeks, asOf) => {
        const { statement } = evaluate({ contract, weeks, asOf });
        const prices = new Map(contract.outcomes.map((o) => [o.id, o.price]));
        const perParticipant = new Map<string, number>();
        let total = 0;
        for (const o of statement.outcomes) {
          expect(o.amount).toBeGreaterThanOrEqual(0);
          expect(o.amount).toBeLessThanOrEqual(prices.get(o.outcome)!);
          perParticipant.set(o.participant, (perParticipant.get(o.participant) ?? 0) + o.amount);
          total += o.amount;
        }
        for (const paid of perParticipant.values()) expect(paid).toBeLessThanOrEqual(contract.maxPerParticipant + EPS);
        expect(total).toBeLessThanOrEqual(contract.cap + EPS);
        expect(statement.totals.outcomePayments).toBeCloseTo(total, 6);
        if (statement.byMonth.length > 0) expect(statement.byMonth.at(-1)).toMatchObject(statement.totals);
      }),
      { numRuns: 100 },
    );
  });

  it('every projection run stays under the cap and under maxPerParticipant for every participant', () => {
    fc.assert(
      fc.property(contractArb, hoursArb, monthArb, fc.integer(), (contract, weeks, asOf, seed) => {
        const evaluation = evaluate({ contract, weeks, asOf });
        const results = simulateRuns(evaluation, buildProjectionModel(evaluation), seed, 0, 20);
        const participants = evaluation.cohort.ids.length;
        for (let r = 0; r < 20; r++) {
          expect(results[r * 3]!).toBeLessThanOrEqual(contract.cap + EPS);
          expect(results[r * 3]!).toBeLessThanOrEqual(contract.maxPerParticipant * participants + EPS);
          expect(results[r * 3]!).toBeGreaterThanOrEqual(evaluation.state.totals.outcomePayments - EPS); // payments only grow
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('projection bands (spec 8)', () => {
  it('p10 ≤ p50 ≤ p90 for every band; the probability is a share of runs', () => {
    fc.assert(
      fc.property(contractArb, hoursArb, monthArb, fc.integer(), (contract, weeks, asOf, seed) => {
        const { projection } = simulate({ contract, weeks, asOf }, { runs: 30, seed });
        for (const band of [projection!.outcomePayments, projection!.municipalSavings, projection!.net]) {
          expect(band.p10).toBeLessThanOrEqual(band.p50);
          expect(band.p50).toBeLessThanOrEqual(band.p90);
        }
        expect(Number.isInteger(projection!.probabilityNetNonNegative * 30)).toBe(true);
        expect(projection!.probabilityNetNonNegative).toBeGreaterThanOrEqual(0);
        expect(projection!.probabilityNetNonNegative).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });

  it('the same seed gives the same projection, however the runs are split', () => {
    fc.assert(
      fc.property(contractArb, hoursArb, monthArb, fc.integer(), fc.integer({ min: 0, max: 40 }), (contract, weeks, asOf, seed, cut) => {
        const input = { contract, weeks, asOf };
        expect(simulate(input, { runs: 40, seed })).toEqual(simulate(input, { runs: 40, seed }));
        const evaluation = evaluate(input);
        const model = buildProjectionModel(evaluation);
        const whole = simulateRuns(evaluation, model, seed, 0, 40);
        const parts = [...simulateRuns(evaluation, model, seed, 0, cut), ...simulateRuns(evaluation, model, seed, cut, 40)];
        expect(Float64Array.from(parts)).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});

describe('a cohort in full-time paid work: bands are ordered, and collapse to the statement when nothing is left to project', () => {
  // Per participant: a referral week (offset from the contract start, may lie before it)
  // and one fixed week of hours with at least 20 paid hours (ordinary 20–40 h plus anything).
  const fullTime = fc.record({
    referral: fc.integer({ min: -3, max: 12 }),
    ordinary: fc.integer({ min: 2000, max: 4000 }),
    other: fc.array(centi, { minLength: ACTIVITIES.length, maxLength: ACTIVITIES.length }),
  });
  const cohortArb = fc.uniqueArray(fc.constantFrom(...IDS), { minLength: 1, maxLength: 4 }).chain((ids) => fc.tuple(...ids.map(() => fullTime)).map((people) => people.map((p, i) => ({ id: ids[i]!, ...p }))));

  it('p10 ≤ p50 ≤ p90; as of the end month, p10 = p50 = p90 = the statement', () => {
    fc.assert(
      fc.property(contractArb, cohortArb, fc.nat(), fc.integer(), (contract, people, asOfPick, seed) => {
        const lastWeek = compileContract(contract).lastWeek;
        const start = weekIndexOfLabel(START);
        const latestReferral = start + Math.max(...people.map((p) => p.referral));
        // The as-of week: somewhere from the last referral to the contract's last week; its month is the as-of month.
        // (A referral after the contract's end leaves nothing to project: the as-of week is then that referral.)
        const asOfWeek = latestReferral + (asOfPick % Math.max(1, lastWeek - latestReferral + 1));
        const asOf = monthOfWeek(weekLabel(asOfWeek));
        const hoursOf = (p: (typeof people)[number]) => p.other.map((c, a) => (ACTIVITIES[a] === 'ordinary' ? p.ordinary : c));
        /** Every week from the referral up to `until`, the same hours each week. */
        const extended = (until: number) =>
          people.flatMap((p) => {
            const rows: WeeklyHours[] = [];
            for (let w = start + p.referral; w <= until; w++) rows.push({ participant: p.id, week: weekLabel(w), centiHours: hoursOf(p), estimated: false });
            return rows;
          });
        // Observed: every week from the referral to the last week of the as-of month.
        const { projection } = simulate({ contract, weeks: extended(weeksOfMonth(asOf).last), asOf }, { runs: 25, seed });
        for (const band of [projection!.outcomePayments, projection!.municipalSavings, projection!.net]) {
          expect(band.p10).toBeLessThanOrEqual(band.p50);
          expect(band.p50).toBeLessThanOrEqual(band.p90);
        }
        // As of the end month nothing is left to simulate (spec 7: the week holding the end date is the end month's).
        const endMonth = contract.end.slice(0, 7);
        const atEnd = simulate({ contract, weeks: extended(lastWeek), asOf: endMonth }, { runs: 25, seed });
        const band = (x: number) => ({ p10: x, p50: x, p90: x });
        expect(atEnd.projection!.outcomePayments).toEqual(band(atEnd.totals.outcomePayments));
        expect(atEnd.projection!.municipalSavings).toEqual(band(atEnd.totals.municipalSavings));
        expect(atEnd.projection!.net).toEqual(band(atEnd.totals.net));
        expect([0, 1]).toContain(atEnd.projection!.probabilityNetNonNegative);
      }),
      { numRuns: 80 },
    );
  });
});
