import { monthAfter, monthRange, weekIndexOfLabel } from '../weeks/iso-week.ts';
import { lastWeekOfMonth } from './contract-calendar.ts';
import type { Contract } from './contract.ts';
import { compileContract } from './evaluator.ts';
import { percentile, type Band, type ProjectionBasis } from './projection.ts';
import { simulateInParallel } from './parallel.ts';
import type { CareerCounts } from './careers.ts';
import { careerCountsOf, pooledPrior, type ProjectionPrior } from './projection-prior.ts';
import type { RosterEntry } from './roster-entry.ts';
import { evaluate, toOere, type StatementInput } from './statement.ts';

/*
 * Calibration of the projection, measured rather than assumed (spec 8): on
 * histories whose end is known, project each partnership from several as-of
 * months using only what was known then, and compare the P10–P50–P90 bands with
 * the realised end of the contract.
 *
 * What was known as of a month M:
 *   - the weekly hours of weeks booked in M or before (the contract's calendar,
 *     spec 7: the last week of M is lastWeekOfMonth);
 *   - every roster row, since planned referrals are known in advance (spec 5),
 *     but no exit dated after M's last day: it had not happened yet;
 *   - reports of months up to M.
 * The realised end is the statement as of the contract's end month on all data.
 * Without a prior given, each partnership's prior is pooled (pooledPrior) from the
 * OTHER partnerships' data known as of the same month: leave-one-out, as the
 * pipeline pools from other partnerships' stored hours; with no other
 * partnership that is the programme's default prior.
 */

/** The figures compared, as named in statements and projections. */
export const BACKTEST_FIGURES = ['outcomePayments', 'municipalSavings', 'net'] as const;
export type BacktestFigure = (typeof BACKTEST_FIGURES)[number];
/** The figures' names in the backtest's table and chart. */
export const FIGURE_NAMES: Record<BacktestFigure, string> = { outcomePayments: 'outcome payments', municipalSavings: 'municipal savings', net: 'net' };

/** Runs per projection when the caller does not say: bands steady enough to compare, 24 projections in seconds. */
export const DEFAULT_BACKTEST_RUNS = 500;
/** Months between as-of months when the caller does not say. */
export const DEFAULT_BACKTEST_EVERY = 6;
/** The quantiles a projection states, over which the pinball loss is averaged. */
const QUANTILES = [
  [0.1, 'p10'],
  [0.5, 'p50'],
  [0.9, 'p90'],
] as const;

/** One figure of one projection: its band at the contract's end and the value realised there, DKK. */
export interface BacktestPoint extends Band {
  realised: number;
}

/** One partnership projected as of one month, each figure beside its realised end value. */
export type BacktestProjection = {
  partnership: string;
  asOf: string;
  /** What the projection rests on (own observed weeks, prior weight and source). */
  basis: ProjectionBasis;
} & Record<BacktestFigure, BacktestPoint>;

/** How well a set of projections of one figure was calibrated. */
export interface CalibrationMetrics {
  projections: number;
  /** Share whose realised value lies in [P10, P90]; nominal 0.8. */
  coverage: number;
  /** Share whose realised value lies below P10 (nominal 0.1). */
  below: number;
  /** Share whose realised value lies above P90 (nominal 0.1). */
  above: number;
  /** Median of |realised − P50|, DKK. */
  medianAbsoluteError: number;
  /** Pinball (quantile) loss averaged over q ∈ {0.1, 0.5, 0.9} and the projections, DKK: lower is better, 0 only for exact bands. */
  pinballLoss: number;
}

/** A backtest: every projection, and the calibration per figure over all of them. */
export interface BacktestResult {
  projections: BacktestProjection[];
  metrics: Record<BacktestFigure, CalibrationMetrics>;
}

/** Which as-of months: every N months from the contract's start month + N, or an explicit list. */
export type AsOfChoice = { every: number } | { months: readonly string[] };

export interface BacktestOptions {
  runs: number;
  seed: number;
  /** One prior for every projection (e.g. `--prior FILE`); absent: leave-one-out pooling over the other inputs. */
  prior?: ProjectionPrior;
  /** Worker threads for the runs (default: every core). */
  threads?: number;
}

/** Where a realised value lies relative to its band. */
export function positionOf(point: BacktestPoint): 'below' | 'inside' | 'above' {
  return point.realised < point.p10 ? 'below' : point.realised > point.p90 ? 'above' : 'inside';
}

/**
 * The pinball loss of one band against the realised value, averaged over its
 * three quantiles: for quantile q with estimate x and truth y, (y − x)·q when
 * y ≥ x, else (x − y)·(1 − q). A proper scoring rule for quantiles: it rewards
 * bands that are both narrow and where the truth falls.
 */
export function pinballLoss(point: BacktestPoint): number {
  let loss = 0;
  for (const [q, key] of QUANTILES) {
    const miss = point.realised - point[key];
    loss += miss >= 0 ? miss * q : -miss * (1 - q);
  }
  return loss / QUANTILES.length;
}

/** The calibration of a set of projections of one figure; throws on an empty set (nothing to measure). */
export function calibrationMetrics(points: readonly BacktestPoint[]): CalibrationMetrics {
  const n = points.length;
  if (n === 0) throw new RangeError('calibration metrics need at least one projection');
  const count = (position: ReturnType<typeof positionOf>) => points.filter((point) => positionOf(point) === position).length;
  const below = count('below');
  const above = count('above');
  const errors = Float64Array.from(points, (point) => Math.abs(point.realised - point.p50)).sort();
  return {
    projections: n,
    coverage: (n - below - above) / n,
    below: below / n,
    above: above / n,
    medianAbsoluteError: toOere(percentile(errors, 0.5)),
    pinballLoss: toOere(points.reduce((sum, point) => sum + pinballLoss(point), 0) / n),
  };
}

/** `month` moved `n` months on. */
function monthsAfter(month: string, n: number): string {
  for (let i = 0; i < n; i++) month = monthAfter(month);
  return month;
}

const startMonth = (contract: Contract) => contract.start.slice(0, 7);
const endMonth = (contract: Contract) => contract.end.slice(0, 7);

/**
 * The as-of months a contract is backtested from, ascending: every `every`
 * months from its start month + `every`, or the listed months; either way only
 * months from its start month to the month before its end month (from the end
 * month on there is nothing left to project).
 */
export function backtestMonths(contract: Contract, choice: AsOfChoice): string[] {
  const [first, end] = [startMonth(contract), endMonth(contract)];
  if ('months' in choice) return [...new Set(choice.months)].filter((month) => month >= first && month < end).sort();
  if (!Number.isSafeInteger(choice.every) || choice.every < 1) throw new RangeError(`as-of months need a step of at least 1 month, not ${choice.every}`);
  const months: string[] = [];
  for (let month = monthsAfter(first, choice.every); month < end; month = monthsAfter(month, choice.every)) months.push(month);
  return months;
}

/** The roster row without its exit. */
const withoutExit = ({ exitDay: _day, exitReason: _reason, ...row }: RosterEntry): RosterEntry => row;

/**
 * The input as it was known as of `asOf` (see the top of this file): weeks
 * booked after the month, exits dated after it and later months' reports are
 * left out; every roster row stays. The input itself is not changed.
 */
export function truncateInput(input: StatementInput, asOf: string): StatementInput {
  const lastWeek = lastWeekOfMonth(compileContract(input.contract), asOf);
  const lastDay = monthRange(asOf).last;
  const truncated: StatementInput = { ...input, asOf, weeks: input.weeks.filter((week) => weekIndexOfLabel(week.week) <= lastWeek) };
  if (input.roster) truncated.roster = input.roster.map((row) => (row.exitDay !== undefined && row.exitDay > lastDay ? withoutExit(row) : row));
  if (input.rejectedReports) truncated.rejectedReports = input.rejectedReports.filter((report) => report.month <= asOf);
  return truncated;
}

/** The realised figures at the contract's end: the statement as of its end month on all the data. */
export function realisedEnd(input: StatementInput): Record<BacktestFigure, number> {
  const { totals } = evaluate({ ...input, asOf: endMonth(input.contract) }).statement;
  return { outcomePayments: totals.outcomePayments, municipalSavings: totals.municipalSavings, net: totals.net };
}

/** A partnership (index into the inputs) to project as of a month. */
interface Target {
  index: number;
  asOf: string;
}

/**
 * Per target, its input as known as of its month and its prior: `options.prior`,
 * else pooled from every other input known as of the same month (an input whose
 * contract has ended by then, up to its end month).
 */
function prepare(inputs: readonly StatementInput[], targets: readonly Target[], options: BacktestOptions): { input: StatementInput; prior: ProjectionPrior }[] {
  const months = new Map<string, { known: StatementInput[]; counts: CareerCounts[] }>();
  return targets.map(({ index, asOf }) => {
    let month = months.get(asOf);
    if (!month) {
      const known = inputs.map((input) => truncateInput(input, asOf < endMonth(input.contract) ? asOf : endMonth(input.contract)));
      months.set(asOf, (month = { known, counts: options.prior ? [] : known.map(careerCountsOf) }));
    }
    return { input: month.known[index]!, prior: options.prior ?? pooledPrior(month.counts.filter((_, other) => other !== index)) };
  });
}

/**
 * The targets' projections, each from its data known as of its month, beside
 * the realised end; all runs in one pool of worker threads (simulateInParallel
 * gives the same numbers as `simulate`).
 */
async function project(inputs: readonly StatementInput[], targets: readonly Target[], options: BacktestOptions): Promise<BacktestProjection[]> {
  const prepared = prepare(inputs, targets, options);
  const simulated = await simulateInParallel(
    prepared.map(({ input }) => input),
    { runs: options.runs, seed: options.seed, priors: prepared.map(({ prior }) => prior), threads: options.threads },
  );
  const realised = new Map<number, Record<BacktestFigure, number>>();
  return targets.map(({ index, asOf }, i) => {
    const input = inputs[index]!;
    const { projection } = simulated[i]!;
    if (!projection) throw new RangeError(`a backtest needs projection runs (runs ${options.runs})`);
    if (!realised.has(index)) realised.set(index, realisedEnd(input));
    const point = (figure: BacktestFigure): BacktestPoint => ({ ...projection[figure], realised: realised.get(index)![figure] });
    return {
      partnership: input.contract.partnership,
      asOf,
      basis: projection.basis,
      outcomePayments: point('outcomePayments'),
      municipalSavings: point('municipalSavings'),
      net: point('net'),
    };
  });
}

/**
 * The projections as of `asOf` of the inputs at `targets` (indexes into
 * `inputs`), each from its data known then, with its realised end. Unless
 * `options.prior` is given, a target's prior is pooled from every other input
 * known as of the same month (leave-one-out).
 */
export function backtestAsOf(inputs: readonly StatementInput[], asOf: string, targets: readonly number[], options: BacktestOptions): Promise<BacktestProjection[]> {
  return project(
    inputs,
    targets.map((index) => ({ index, asOf })),
    options,
  );
}

/**
 * The backtest of every input from its as-of months (backtestMonths), in month
 * then input order, with the calibration per figure over all projections.
 * Throws when no as-of month lies within any contract.
 */
export async function backtest(inputs: readonly StatementInput[], options: BacktestOptions & { asOf: AsOfChoice }): Promise<BacktestResult> {
  const monthsOf = inputs.map((input) => backtestMonths(input.contract, options.asOf));
  const targets = [...new Set(monthsOf.flat())].sort().flatMap((asOf) => inputs.flatMap((_, index) => (monthsOf[index]!.includes(asOf) ? [{ index, asOf }] : [])));
  if (targets.length === 0) throw new RangeError('no as-of month lies within a contract (from its start month to the month before its end month)');
  const projections = await project(inputs, targets, options);
  const metricsOf = (figure: BacktestFigure) => calibrationMetrics(projections.map((projection) => projection[figure]));
  return { projections, metrics: { outcomePayments: metricsOf('outcomePayments'), municipalSavings: metricsOf('municipalSavings'), net: metricsOf('net') } };
}
