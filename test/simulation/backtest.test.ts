import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backtest,
  backtestAsOf,
  backtestMonths,
  calibrationMetrics,
  pinballLoss,
  positionOf,
  realisedEnd,
  truncateInput,
  type BacktestPoint,
} from '../../shared/simulation/backtest.ts';
import { lastWeekOfMonth } from '../../shared/simulation/contract-calendar.ts';
import { compileContract } from '../../shared/simulation/evaluator.ts';
import { DEFAULT_PRIOR } from '../../shared/simulation/projection-prior.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import { evaluate, type StatementInput } from '../../shared/simulation/statement.ts';
import { monthAfter, monthRange, weekIndexOfLabel } from '../../shared/weeks/iso-week.ts';
import { addWeeks, rosterRow, series, testContract, week } from './builders.ts';

/*
 * The backtest of spec 8's calibration: the metrics by hand and as properties,
 * the as-of months, the truncation to what was known as of a month, and the
 * projections of a small three-partnership world. The test contract runs
 * 2024-01-01 to 2025-12-31 (2024-W01 to 2026-W01).
 */

const point = (p10: number, p50: number, p90: number, realised: number): BacktestPoint => ({ p10, p50, p90, realised });

describe('calibrationMetrics', () => {
  it('counts inside, below and above, the median |P50 error| and the mean pinball loss (hand-computed)', () => {
    const points = [
      point(0, 10, 20, 15), // inside; |error| 5; pinball (15·0.1 + 5·0.5 + 5·0.1) / 3 = 1.5
      point(0, 10, 20, -10), // below; |error| 20; pinball (10·0.9 + 20·0.5 + 30·0.1) / 3 = 22/3
      point(100, 200, 300, 400), // above; |error| 200; pinball (300·0.1 + 200·0.5 + 100·0.9) / 3 = 220/3
      point(5, 5, 5, 5), // a zero-width band holding the truth: inside; no error, no loss
    ];
    expect(points.map(positionOf)).toEqual(['inside', 'below', 'above', 'inside']);
    expect(points.map(pinballLoss)).toEqual([1.5, 22 / 3, 220 / 3, 0].map((loss) => expect.closeTo(loss, 9)));
    expect(calibrationMetrics(points)).toEqual({
      projections: 4,
      coverage: 0.5,
      below: 0.25,
      above: 0.25,
      medianAbsoluteError: 12.5, // between 5 and 20
      pinballLoss: 20.54, // (1.5 + 22/3 + 220/3 + 0) / 4 = 20.541…, to the øre
    });
  });

  it('counts a realised value on P10 or P90 as inside (the band is closed)', () => {
    expect([point(1, 2, 3, 1), point(1, 2, 3, 3), point(1, 2, 3, 0.99), point(1, 2, 3, 3.01)].map(positionOf)).toEqual(['inside', 'inside', 'below', 'above']);
  });

  it('refuses to measure nothing', () => {
    expect(() => calibrationMetrics([])).toThrow(RangeError);
  });

  /** DKK to the øre, as bands and statements state them. */
  const amount = fc.integer({ min: -1e9, max: 1e9 }).map((oere) => oere / 100);
  const pointArb = fc
    .tuple(amount, amount, amount, amount)
    .map(([a, b, c, realised]) => {
      const [p10, p50, p90] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
      return point(p10, p50, p90, realised);
    });

  it('shares inside, below and above add up to 1 and match the positions', () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 1, maxLength: 40 }), (points) => {
        const m = calibrationMetrics(points);
        expect(m.coverage + m.below + m.above).toBeCloseTo(1, 12);
        expect(m.below * points.length).toBeCloseTo(points.filter((p) => p.realised < p.p10).length, 9);
        expect(m.above * points.length).toBeCloseTo(points.filter((p) => p.realised > p.p90).length, 9);
        expect(m.medianAbsoluteError).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('pinball loss is never negative, and 0 only when every quantile equals the truth', () => {
    fc.assert(
      fc.property(pointArb, (p) => {
        const loss = pinballLoss(p);
        expect(loss).toBeGreaterThanOrEqual(0);
        expect(loss === 0).toBe(p.p10 === p.realised && p.p50 === p.realised && p.p90 === p.realised);
      }),
    );
  });
});

describe('backtestMonths', () => {
  const contract = testContract();

  it('steps every N months from the start month + N, up to the month before the end month', () => {
    expect(backtestMonths(contract, { every: 6 })).toEqual(['2024-07', '2025-01', '2025-07']);
    expect(backtestMonths(contract, { every: 12 })).toEqual(['2025-01']);
    expect(backtestMonths(contract, { every: 23 })).toEqual([]); // 2025-12 is the end month
    expect(backtestMonths(contract, { every: 1 })).toHaveLength(22); // 2024-02 … 2025-11
  });

  it('keeps listed months inside the contract and before its end month, once each, ascending', () => {
    expect(backtestMonths(contract, { months: ['2025-03', '2023-12', '2024-01', '2025-12', '2025-03', '2026-02'] })).toEqual(['2024-01', '2025-03']);
  });

  it('refuses a step below one month', () => {
    expect(() => backtestMonths(contract, { every: 0 })).toThrow(RangeError);
  });
});

/** Weeks of the test contract, 2024-W01 … 2026-W01, as offsets. */
const CONTRACT_WEEKS = 105;
/** The contract's months, 2024-01 … 2025-12. */
const MONTHS: string[] = ['2024-01'];
while (MONTHS.length < 24) MONTHS.push(monthAfter(MONTHS.at(-1)!));

/** A random partnership history: participants with random weeks of hours, on the roster or not, some with exits. */
const historyArb = fc
  .array(
    fc.record({
      onRoster: fc.boolean(),
      referral: fc.integer({ min: 0, max: CONTRACT_WEEKS - 1 }),
      exit: fc.option(fc.integer({ min: 0, max: 760 }), { nil: undefined }),
      weeks: fc.array(fc.record({ at: fc.integer({ min: 0, max: CONTRACT_WEEKS - 1 }), ordinary: fc.integer({ min: 0, max: 37 }), training: fc.integer({ min: 0, max: 30 }) }), { maxLength: 30 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((people): StatementInput => {
    const first = monthRange('2024-01').first;
    return {
      contract: testContract(),
      asOf: '2025-12',
      weeks: people.flatMap((p, i) => p.weeks.map((w) => week(`p${i}`, addWeeks('2024-W01', w.at), { ordinary: w.ordinary, training: w.training }))),
      roster: people.flatMap((p, i) =>
        p.onRoster ? [{ ...rosterRow(`p${i}`, '2024-01-01'), referralDay: first + p.referral * 7, ...(p.exit === undefined ? {} : { exitDay: first + p.referral * 7 + p.exit, exitReason: 'unemployed' as const }) }] : [],
      ),
    };
  });

describe('truncateInput', () => {
  it('keeps exactly the weeks booked up to the month, every roster row, and only exits dated by its end', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...MONTHS), (input, asOf) => {
        const truncated = truncateInput(input, asOf);
        const last = lastWeekOfMonth(compileContract(input.contract), asOf);
        expect(truncated.asOf).toBe(asOf);
        expect(truncated.weeks).toEqual(input.weeks.filter((w) => weekIndexOfLabel(w.week) <= last));
        expect(truncated.weeks.every((w) => weekIndexOfLabel(w.week) <= last)).toBe(true);
        expect(truncated.roster!.map((r) => [r.participant, r.referralDay])).toEqual(input.roster!.map((r) => [r.participant, r.referralDay]));
        truncated.roster!.forEach((row, i) => {
          const original = input.roster![i]!;
          const known = original.exitDay !== undefined && original.exitDay <= monthRange(asOf).last;
          expect(row.exitDay).toBe(known ? original.exitDay : undefined);
          expect(row.exitReason).toBe(known ? original.exitReason : undefined);
        });
      }),
    );
  });

  it('never changes the statement as of the month, nor the input and its realised end', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...MONTHS), (input, asOf) => {
        const before = JSON.stringify(input);
        const realised = realisedEnd(input);
        const asKnown = evaluate(truncateInput(input, asOf)).statement;
        const asOfAll = evaluate({ ...input, asOf }).statement;
        expect(asKnown.totals).toEqual(asOfAll.totals);
        expect(asKnown.byMonth).toEqual(asOfAll.byMonth);
        expect(asKnown.outcomes).toEqual(asOfAll.outcomes);
        expect(JSON.stringify(input)).toBe(before);
        expect(realisedEnd(input)).toEqual(realised);
      }),
      { numRuns: 60 },
    );
  });
});

/** Partnership `id`: `people` participants referred a month apart, 26 weeks of training then paid work (every third leaves after training). */
function partnership(id: string, people: number): StatementInput {
  const contract = testContract((doc) => (doc.partnership = id));
  const roster = Array.from({ length: people }, (_, i) => rosterRow(`${id}${i}`, `2024-${String(1 + (i % 12)).padStart(2, '0')}-01`, {}, id));
  const weeks = roster.flatMap((row, i) => {
    const start = addWeeks('2024-W01', Math.floor((row.referralDay - monthRange('2024-01').first) / 7));
    const training = series(row.participant, start, 26, { training: 20 });
    return i % 3 === 2 ? training : [...training, ...series(row.participant, addWeeks(start, 26), 40, { ordinary: 30 })];
  });
  return { contract, weeks, roster, asOf: '2025-12' };
}

describe('backtestAsOf and backtest', () => {
  const world = [partnership('a', 9), partnership('b', 6), partnership('c', 12)];
  const options = { runs: 40, seed: 3, threads: 2 };

  it('projects from the data known as of the month: later hours, of its own or of others, change nothing', async () => {
    const [projection] = await backtestAsOf(world, '2024-09', [0], options);
    // Hours after September 2024 (2024-W40 on) dropped for a, tripled for b.
    const later = (input: StatementInput, factor: number) => ({
      ...input,
      weeks: input.weeks.map((w) => (weekIndexOfLabel(w.week) >= weekIndexOfLabel('2024-W40') ? { ...w, centiHours: w.centiHours.map((c) => c * factor) } : w)),
    });
    const [again] = await backtestAsOf([later(world[0]!, 0), later(world[1]!, 3), world[2]!], '2024-09', [0], options);
    const bands = ({ basis, outcomePayments, municipalSavings, net }: NonNullable<typeof projection>) => ({ basis, bands: [outcomePayments, municipalSavings, net].map(({ p10, p50, p90 }) => [p10, p50, p90]) });
    expect(bands(again!)).toEqual(bands(projection!));
    // The realised end is the whole history's: it moves with the later hours.
    expect(projection!.municipalSavings.realised).toBe(realisedEnd(world[0]!).municipalSavings);
    expect(again!.municipalSavings.realised).toBeLessThan(projection!.municipalSavings.realised);
  });

  it("pools each partnership's prior from the others only (leave-one-out), as known as of the month", async () => {
    const projections = await backtestAsOf(world, '2024-09', [0, 1, 2], options);
    for (const p of projections) expect(p.basis.prior).toMatchObject({ source: 'pooled', partnerships: 2 });
    // a's prior holds b's and c's weeks: more of c's people means a larger prior for a and b, not for c.
    const bigger = await backtestAsOf([world[0]!, world[1]!, partnership('c', 24)], '2024-09', [0, 1, 2], options);
    expect(bigger[0]!.basis.prior.participantWeeks).toBeGreaterThan(projections[0]!.basis.prior.participantWeeks);
    expect(bigger[1]!.basis.prior.participantWeeks).toBeGreaterThan(projections[1]!.basis.prior.participantWeeks);
    expect(bigger[2]!.basis.prior).toEqual(projections[2]!.basis.prior);
  });

  it('with one prior for all, projects exactly as simulate does on the truncated input', async () => {
    const [projection] = await backtestAsOf(world, '2025-03', [1], { ...options, prior: DEFAULT_PRIOR });
    const direct = simulate(truncateInput(world[1]!, '2025-03'), { runs: options.runs, seed: options.seed, prior: DEFAULT_PRIOR }).projection!;
    expect(projection!.basis).toEqual(direct.basis);
    for (const figure of ['outcomePayments', 'municipalSavings', 'net'] as const) expect(projection![figure]).toEqual({ ...direct[figure], realised: realisedEnd(world[1]!)[figure] });
  });

  it('backtests every partnership from each of its months, month by month, with the metrics over all projections', async () => {
    const result = await backtest(world, { ...options, asOf: { every: 8 } });
    expect(result.projections.map((p) => `${p.asOf} ${p.partnership}`)).toEqual(['2024-09 a', '2024-09 b', '2024-09 c', '2025-05 a', '2025-05 b', '2025-05 c']);
    // The same projections as one month at a time.
    expect(result.projections.slice(3)).toEqual(await backtestAsOf(world, '2025-05', [0, 1, 2], options));
    expect(result.metrics.net).toEqual(calibrationMetrics(result.projections.map((p) => p.net)));
    expect(result.metrics.outcomePayments.projections).toBe(6);
    await expect(backtest(world, { ...options, asOf: { months: ['2023-05', '2026-01'] } })).rejects.toThrow(/no as-of month/);
  });
});
